#!/usr/bin/env bash
# Print the page's acceptance figures (see measure.mjs); asserts nothing.
exec bash "$(dirname "$0")/run.sh" measure.mjs
