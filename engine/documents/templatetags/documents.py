"""``{% documents_panel case %}``: the case's documents as the reader may see them, with the
upload, replace and withdraw forms the reader may use (``documents/_panel.html``)."""
from django import template

from ..access import case_access_for, may_change, subject_choices, visible_documents
from ..conf import max_file_bytes
from ..detection import TYPES
from ..policy import policy_for

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context, case, title=""):
    request = context["request"]
    user = request.user
    access = case_access_for(user, case)
    policy = policy_for(case.PROCESS_NAME)
    documents = list(visible_documents(user, case, access=access)) if access is not None else []
    for document in documents:
        document.kind_label = policy.label(document.kind)
        document.version_list = list(document.versions.all())
        document.current = document.version_list[0] if document.version_list else None
        document.changeable = may_change(user, document, case, access)
    upload_kinds = [(k, policy.label(k)) for k in policy.upload_kinds(user, case, access)] if access else []
    subjects = [(value, label, " ".join(kinds)) for value, label, kinds in
                subject_choices(user, case, [k for k, _label in upload_kinds])] if upload_kinds else []
    return {
        "case": case, "documents": documents, "upload_kinds": upload_kinds, "subjects": subjects, "title": title,
        "next": request.get_full_path(), "csrf_token": context.get("csrf_token"),
        "accept": ",".join(f".{code}" for code in TYPES) + ",.jpg", "max_file_bytes": max_file_bytes(),
        "visible": access is not None and policy.may_see(user, case, access),
    }
