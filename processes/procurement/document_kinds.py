"""The codes of procurement's kinds of documents (their labels and rules: ``documents.py``)."""
TENDER = "tender"
BID_KINDS = ("bid_technical", "bid_price")  # sealed like the bid (P4)
CONTRACT_KINDS = ("contract", "acceptance", "invoice")
EVIDENCE = "complaint_evidence"
