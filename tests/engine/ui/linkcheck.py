"""Follow every link of a page as its reader: none may answer 404 or 500."""
import re
from urllib.parse import urljoin, urlparse

HREF = re.compile(r'href="([^"#]+)')
SKIP = ("/static/", "/admin/", "/media/", "/i18n/", "/accounts/logout")


def hrefs(html: str, base: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        url = urlparse(urljoin(base, href.replace("&amp;", "&")))
        if url.netloc in ("", "testserver") and not url.path.startswith(SKIP):
            found.append(url.path + (f"?{url.query}" if url.query else ""))
    return found


def broken_links(client, path: str) -> list[tuple[str, int]]:
    """The links on ``path`` that answer 4xx or 5xx to the logged-in client."""
    page = client.get(path)
    assert page.status_code == 200, path
    answers = [(link, client.get(link).status_code) for link in dict.fromkeys(hrefs(page.content.decode(), path))]
    return [(link, status) for link, status in answers if status >= 400]
