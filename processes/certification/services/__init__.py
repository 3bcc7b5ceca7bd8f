"""Writes of the certification process, one module per subject; each change is atomic,
row-locked, rights-checked and audited (DESIGN "How a case moves")."""
