/* canmem canister model: the reference adapter for code linked with the
 * model (the runner, tests). A loadable module exports the same table as
 * canmem_adapter_v1 (adapter_so.c). */
#ifndef CANMEM_REF_ADAPTER_H
#define CANMEM_REF_ADAPTER_H

#include "canmem_adapter.h"

#define CM_REF_ADAPTER_VERSION "0.1"

const canmem_adapter *cm_ref_adapter(void);

#endif
