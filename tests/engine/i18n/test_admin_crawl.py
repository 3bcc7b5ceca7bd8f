"""D7 in the Django admin, checked by walking it as the site's walk (``test_crawl``) walks the
pages: on the demo data, as every demo user who may enter the admin (and as a visitor, who
gets its login page), from the admin's index every link under /admin/ is followed once with
Chinese chosen and once with English chosen.

- No followed link answers 404 or 500.
- With English chosen, no Chinese character apart from the data's own strings.
- With Chinese (the default), no English word apart from the data's strings and the names of
  formats, standards and keys.

The admin is Django's, django-axes', viewflow's and django-import-export's screens around the
project's models: the packages' texts their catalogs lack are translated in the project's
``locale/``. Links that change something or lead away from the reading screens are not
followed (delete, history, passwords, logout, the "view on site" redirect); links differing
only in numbers or query values count once, so each model is seen through its list, one change
page and its add page.
"""
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, identify_hasher
from django.db import models

from engine.directory.models import User
from tests.engine.i18n import test_crawl as site

pytestmark = pytest.mark.django_db

SKIP = re.compile(r"^(?!/admin/)|^/admin/(logout|password_change|r)/|^.*/(delete|history|password)/$")
MAX_PAGES_PER_USER = 300
# besides the site's format names: a protocol, a directory standard and keys on a keyboard that
# Django's own Chinese names as they are
ADMIN_NAMES = {"IP", "LDAP", "Control", "Command", "Mac"}
LOGIN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)

demo = site.demo  # the demo data, as the site's walk loads it


def admin_pattern(url: str) -> str:
    """As the site's walk, and a list's sorted, filtered or searched variants count once."""
    return site.pattern(url.split("?")[0])


def admin_users():
    return list(User.objects.filter(is_active=True, is_staff=True).order_by("username"))


def admin_data_strings() -> set[str]:
    """What the admin shows of the data beyond the pages' texts: JSON fields as stored (keys
    and codes included, the audit trail's too), the stored step and case titles, django-axes'
    login records, a password's algorithm and masked parts, and the test settings' example
    app's model names."""
    values = set()
    for model in apps.get_models():
        if model.__module__.startswith(("engine.", "processes.")):
            for field in model._meta.concrete_fields:
                if isinstance(field, models.JSONField):
                    for blob in model.objects.values_list(field.attname, flat=True):
                        values.update(_json_words(blob))
                elif field.name in site.COMPOSED_ROUTE_FIELDS:
                    values.update(model.objects.values_list(field.attname, flat=True))
    for model in LOGIN_RECORDS:
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                values.update(v for v in model.objects.values_list(field.attname, flat=True) if isinstance(v, str))
    for password in User.objects.exclude(password="").exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX).values_list(
            "password", flat=True):
        values.update(str(v) for v in identify_hasher(password).safe_summary(password).values())
    example = apps.get_app_config("example")
    values.add(str(example.verbose_name))
    for model in example.get_models():
        values.update((str(model._meta.verbose_name), str(model._meta.verbose_name_plural)))
    return {v.strip() for v in values if v and v.strip()}


def _json_words(blob):
    if isinstance(blob, dict):
        for key, value in blob.items():
            yield str(key)
            yield from _json_words(value)
    elif isinstance(blob, list):
        for value in blob:
            yield from _json_words(value)
    elif isinstance(blob, str):
        yield blob


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_admin_page_answers_and_reads_in_the_chosen_language(client, demo, language):
    users = admin_users()
    assert "admin" in [user.username for user in users]
    broken, leaked, patterns = [], {}, set()
    for user in [None, *users]:  # a visitor not signed in sees the admin's login page
        client.logout()
        client.cookies.clear()
        client.cookies["django_language"] = language
        if user:
            client.force_login(user)
        data = site.Data({*demo.whole, *admin_data_strings()})  # the login just recorded included
        pages = site.crawl(client, ["/admin/"], skip=SKIP, limit=MAX_PAGES_PER_USER, pattern=admin_pattern)
        for url, (status, _content_type, text, referrer) in pages.items():
            patterns.add(admin_pattern(url))
            if status in (404, 500):
                broken.append(f"{status} {url} (as {user or 'visitor'}, linked from {referrer})")
            words = site.leaks(site.strip(text, data), language) - ADMIN_NAMES
            if words:
                leaked.setdefault(admin_pattern(url), set()).update(words)
    report = broken + [f"{url}: {' '.join(sorted(words))}" for url, words in sorted(leaked.items())]
    assert not report, "\n".join(report)
    # the walk saw the index, every app's index and every model's list, one of its objects and
    # its add page (where the model has them and the admin offers them)
    expected = {"/admin/"}
    for model, model_admin in admin.site._registry.items():
        opts, root = model._meta, f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        expected |= {f"/admin/{opts.app_label}/", root}
        if model._default_manager.exists():
            expected.add(f"{root}N/change/")
        if model_admin.has_add_permission(_superuser_request(users)):
            expected.add(f"{root}add/")
    assert expected <= patterns, sorted(expected - patterns)


def _superuser_request(users):
    class Request:
        user = next(user for user in users if user.is_superuser)
    return Request()


def test_an_untranslated_text_is_found():
    data = site.Data({"阳光志愿者协会"})
    text = "首页\n登录日志\nAccess logs\n阳光志愿者协会\nLDAP"
    assert site.leaks(site.strip(text, data), "zh-hans") - ADMIN_NAMES == {"Access", "logs"}
    assert site.leaks(site.strip("Home\n阳光志愿者协会\n登录日志", data), "en") == {"登录日志"}


def test_admin_pages_carry_the_language_switch_and_keep_the_choice(client, demo):
    client.force_login(User.objects.get(username="admin"))
    process = apps.get_model("viewflow", "Process").objects.first()
    for url in ("/admin/", "/admin/directory/user/", f"/admin/viewflow/process/{process.pk}/change/"):
        assert 'action="/i18n/setlang/"' in client.get(url).content.decode(), url
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    page = client.get(f"/admin/viewflow/process/{process.pk}/change/").content.decode()
    assert "Zhiyuan Zhengzhou administration" in page and "(number " in page
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/admin/"})
    assert "志愿郑州管理后台" in client.get("/admin/").content.decode()
