#!/bin/sh
# embed-xsd.sh NAME FILE: writes a C source defining the bytes of FILE as
# `const unsigned char NAME[]` and its length as `const size_t NAME_len`, so
# an XML plugin carries the very XSD in schemas/ that it validates against
# and needs no file at run time.
set -eu
name=$1
file=$2
echo "/* Generated from $(basename "$file") by embed-xsd.sh: do not edit. */"
echo "#include <stddef.h>"
echo "extern const unsigned char ${name}[];"
echo "extern const size_t ${name}_len;"
echo "const unsigned char ${name}[] = {"
od -An -v -tx1 "$file" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e '/^$/d'
echo "};"
echo "const size_t ${name}_len = sizeof(${name});"
