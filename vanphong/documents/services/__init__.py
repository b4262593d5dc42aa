"""Every change to documents, registers and their entries. One module per flow:
``registering`` (numbers and entries, shared by every flow), ``incoming``, ``outgoing``,
``files`` (upload, extraction), ``links`` (references between documents)."""
