/* canmem canister model: the one exported symbol of the loadable reference
 * adapter (canmem-ref-adapter.so), as any other runtime's adapter has it. */
#include "adapter.h"

const canmem_adapter *canmem_adapter_v1(void) { return cm_ref_adapter(); }
