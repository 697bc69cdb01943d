#!/bin/sh
# Builds the C implementation of the IommuVerify line protocol into build/iommu-c.
# Needs only a C11 compiler (gcc by default; set CC to use another).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-gcc}
mkdir -p "$here/build"
"$cc" -std=c11 -O2 -Wall -Wextra -Werror \
    -o "$here/build/iommu-c" "$here/iommu.c" "$here/model.c"
echo "built $here/build/iommu-c"
