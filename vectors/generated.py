"""What the vector generators share: writing their .wast files.

A generated file starts with a mark naming its generator; a generator
removes only the stale files that carry its own mark, so hand-written
vectors and other generators' files in the same folder are safe.
Standard library only.
"""

import os
import sys


def write_vectors(folder, mark, files):
    """Writes files ({name: text}, each text starting with mark) into
    folder and removes the files of earlier runs that are no longer
    produced."""
    for existing in os.listdir(folder):
        path = os.path.join(folder, existing)
        if existing.endswith(".wast") and existing not in files:
            with open(path, encoding="utf-8") as f:
                if f.read(len(mark)) == mark:
                    os.remove(path)
    for file_name, text in sorted(files.items()):
        with open(os.path.join(folder, file_name), "w", encoding="utf-8",
                  newline="\n") as f:
            f.write(text)
    print("wrote %d vectors to %s" % (len(files), os.path.relpath(folder)),
          file=sys.stderr)
