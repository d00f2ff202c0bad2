"""The tool layer: typed specs for business-system calls and the rails every call passes."""
