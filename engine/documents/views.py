"""Pages' side of documents (``/documents/``): download a version, and the forms of the
partial ``documents/_panel.html`` (upload several files, replace, withdraw). Each form posts
here and goes back to the page it came from (``next``), saying what happened."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from engine.cases.errors import DomainError, NotFound

from . import access, services
from .download import file_response, version_of
from .policy import policy_for


def _back(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_GET
def download(request, pk, number=None):
    try:
        return file_response(version_of(request.user, pk, number))
    except NotFound:
        raise Http404(_("No such document.")) from None


@login_required
@require_POST
def upload(request, reference):
    case = access.case_for_reference(reference)
    if case is None or access.case_access_for(request.user, case) is None:
        raise Http404(_("No such case."))
    kind = request.POST.get("kind", "")
    subject_type, _sep, subject_id = request.POST.get("subject", "").partition(":")
    try:
        subject = access.resolve_subject(request.user, case, kind, subject_type, subject_id)
        documents = services.document_upload(actor=request.user, case=case, kind=kind,
                                             files=request.FILES.getlist("files"), subject=subject)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        names = _(", ").join(d.versions.get(number=1).original_name for d in documents)
        policy = policy_for(case.PROCESS_NAME)
        done = _("Uploaded to %(reference)s as “%(kind)s”: %(names)s.") % {
            "reference": case.reference, "kind": policy.label(kind), "names": names}
        if subject is not None:
            done += " " + _("They are about %(subject)s.") % {"subject": policy.subject_text(subject)}
        messages.success(request, done)
    return _back(request)


def _on_document(request, pk, work, done):
    try:
        document, _case, _access = access.visible_document(request.user, pk)
    except NotFound:
        raise Http404(_("No such document.")) from None
    try:
        messages.success(request, done(work(document)))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _back(request)


@login_required
@require_POST
def replace(request, pk):
    return _on_document(
        request, pk,
        lambda document: services.document_replace(actor=request.user, document=document,
                                                   file=request.FILES.get("file")),
        lambda version: _("“%(name)s” uploaded as version %(number)s; earlier versions are kept.") % {
            "name": version.original_name, "number": version.number})


@login_required
@require_POST
def withdraw(request, pk):
    return _on_document(
        request, pk,
        lambda document: services.document_withdraw(actor=request.user, document=document,
                                                    reason=request.POST.get("reason", "")),
        lambda document: _("Document withdrawn; it stays in the case's record with its versions."))


app_name = "documents"
urlpatterns = [
    path("<int:pk>/", download, name="download"),
    path("<int:pk>/v<int:number>/", download, name="download_version"),
    path("case/<str:reference>/upload/", upload, name="upload"),
    path("<int:pk>/replace/", replace, name="replace"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
]
