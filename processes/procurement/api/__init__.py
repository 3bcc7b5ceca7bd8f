"""API v1 of procurement under ``/api/v1/procurement/``.

Catalogue and budget lines (finance maintains), tenders by reference (department staff create
and cancel; everyone signed in reads public ones), bids (organizations submit, replace,
withdraw; prices sealed until the deadline, P4), expert scores and the recomputable ranking,
complaints, enquiries (public answers; organizations ask during the enquiry period, the
department answers), contracts with milestones and payments, the performance evaluation, OCDS releases
(public) and the results export. Queue steps without rich input (submit, pre-check, award
review) go through the generic ``/api/v1/tasks/<id>/complete/``.
"""
