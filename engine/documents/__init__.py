"""Documents: real files on every case (issue #9), the same way in every process.

A ``Document`` belongs to one case (content type + id, with the case's reference, as a
``TaskRoute`` does) and optionally to one object of it (its *subject*: a bid, a milestone, a
dispute, a payment). It has a ``kind`` from the process's declared list and a chain of
``DocumentVersion`` rows: the file as uploaded (original name kept, size, SHA-256, the content
type detected from the bytes), who uploaded it and when. Replacing a file adds a version;
withdrawing marks the document withdrawn. Nothing is overwritten or deleted (database triggers
refuse it), and each upload, replacement and withdrawal is an audit event carrying the SHA-256
(D4).

Modules:

- ``conf``: the settings (allowed types, size limits per file and per case, the virus-scan
  hook, the kinds each step requires, the storage alias);
- ``detection``: the type of a file from its bytes (``filetype``, plus an OOXML check for DOCX
  and XLSX);
- ``storage``: the files go through Django's ``STORAGES["documents"]``: a private directory
  (``DOCUMENT_FILE_ROOT``, ``var/media/documents``, never served) or S3-compatible storage;
- ``policy``: **the extension point of a process**. A process registers a ``DocumentPolicy``
  (its kinds and their labels, who may upload which kind, who may see a kind, and the sealing
  hooks ``sealed(now)`` / ``sealed_until(document)``) with ``policy.register(process_name,
  policy)``; ``processes/<p>/documents.py`` is imported at start-up for that purpose
  (``processes/incubation/documents.py`` is the example). An object that is not an engine
  case may play one for its documents (a reference, ``department_id``, ``PROCESS_NAME``,
  ``visible_to``, ``is_final``): the policy answers ``access`` for it and, to reach it from the
  pages and the API by reference, ``case_by_reference`` (certification's back-filled record);
- ``access``: the one place that decides who may list, see, download, upload and withdraw.
  Every list is a queryset from ``access.visible_documents``; sealing is applied there (and in
  the admin), never in templates;
- ``services``: ``document_upload``, ``document_replace``, ``document_withdraw`` and
  ``require_documents(case, step)``, which a process's service calls before a step proceeds;
- ``manage.py documents_orphans [--delete]``: stored files no version names (left when a
  caller's larger transaction rolled back after an upload);
- ``api`` (``/api/v1/documents/…``), ``views`` (``/documents/…``: download, upload forms) and the
  partial ``documents/_panel.html`` (``{% load documents %}{% documents_panel case %}``) that the
  task page, the case page and the portal include.

Procurement (P4, sealed bid files) registers a policy whose ``sealed(now)`` returns the bid
files of tenders whose deadline has not passed: ``access`` then hides them from everyone but the
bidding organization (``Document.organization``), in every list, download and the admin.
"""
