"""Isolation proven both ways between organisations that share nothing (issue 12, item 7).

Three clusters (``tests.isolation_support.build_clusters``): the standard cast's owner and
partner (Borsetshire), its unrelated organisation (Felpersham), and a second unrelated pair built
here, Loamshire Fire and Rescue and Loamshire NHS Trust, with an agreement between them, an entry
each way, an escalated refusal, a breach, a request, a review and a closed case. Everyone in each
cluster, whatever their role:

- finds on no list page (home, "what's due", the agreements, the log and its lists, breaches,
  requests...) the words that only the other clusters' objects show — titles, case references,
  descriptions; and on the page of roles in agreements of another cluster's organisation, none of
  its agreements;
- gets 404 for every page of another cluster's objects — not 403, which would say they exist.

A control proves the words do show: each is found by someone of its own cluster on those pages.
The portal administrator belongs to no cluster (they see every agreement by design) and is left
out.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from .auth import sign_in
from .isolation_support import build_clusters
from .roles import build_cast

LIST_PAGES = [
    "home", "due", "notifications", "agreements:list", "agreements:signature_overview",
    "agreements:gateway_proposals", "sharing_log:list", "sharing_log:received", "sharing_log:export",
    "sharing_log:inbox", "sharing_log:escalations", "sharing_log:cases", "sharing_log:onward_list",
    "sharing_log:copies", "breaches:list", "requests:list",
    # Issue 16's exports, as text (the workbooks hold the same rows): nothing of another cluster.
    "agreements:export", "breaches:export", "requests:export", "sharing_log:onward_export",
]
# Every subject of every cluster, as ``cluster:subject``.
SUBJECTS = [
    "borsetshire:practitioner", "borsetshire:spoc", "borsetshire:governance_manager",
    "borsetshire:lead_signatory", "borsetshire:auditor", "felpersham:unrelated",
    "loamshire:fire_governance_manager", "loamshire:fire_practitioner", "loamshire:trust_spoc",
    "loamshire:trust_auditor", "loamshire:trust_lead_signatory",
]


@pytest.fixture(scope="module")
def isolation_clusters(django_db_setup, django_db_blocker):
    """The clusters, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield {cluster.name: cluster for cluster in build_clusters(build_cast())}
        transaction.set_rollback(True)


@pytest.fixture
def clusters(isolation_clusters, db):
    return isolation_clusters


def _member(clusters, subject: str):
    cluster_name, name = subject.split(":")
    return clusters[cluster_name], clusters[cluster_name].subjects[name]


def _list_pages(client, clusters, cluster) -> dict:
    """Each list page, and the roles page of every organisation, as the client sees it (path -> text)."""
    paths = [reverse(name) for name in LIST_PAGES] + [
        reverse("agreements:organisation_roles", args=[organisation.pk])
        for other in clusters.values() for organisation in other.organisations
    ]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 403}, f"{path}: {response.status_code}"
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[path] = body.decode()
    return pages


def test_every_subject_in_the_cast_and_the_pair_is_checked(clusters):
    assert sorted(SUBJECTS) == sorted(f"{c.name}:{s}" for c in clusters.values() for s in c.subjects)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_list_pages_show_nothing_of_another_cluster(client, clusters, subject):
    cluster, user = _member(clusters, subject)
    pages = _list_pages(sign_in(client, user), clusters, cluster)

    leaks = [
        f"{path} shows {marker!r} of {other.name}"
        for other in clusters.values() if other is not cluster
        for marker in other.markers
        for path, text in pages.items() if marker in text
    ]
    assert not leaks, f"{subject}: {leaks}"


@pytest.mark.parametrize("subject", SUBJECTS)
def test_pages_of_another_clusters_objects_are_not_found(client, clusters, subject):
    cluster, user = _member(clusters, subject)
    sign_in(client, user)

    answers = {
        url: client.get(url).status_code
        for other in clusters.values() if other is not cluster for url in other.object_urls
    }
    assert answers and all(status == 404 for status in answers.values()), f"{subject}: {answers}"


@pytest.mark.parametrize("cluster_name", ["borsetshire", "felpersham", "loamshire"])
def test_each_clusters_words_are_seen_by_its_own_people(client, clusters, cluster_name):
    """The control: the words the checks above look for do show on those pages, to their own."""
    cluster = clusters[cluster_name]
    seen = set()
    for user in cluster.subjects.values():
        client.cookies.clear()
        text = "".join(_list_pages(sign_in(client, user), clusters, cluster).values())
        seen |= {marker for marker in cluster.markers if marker in text}
        if seen == set(cluster.markers):
            break

    assert sorted(set(cluster.markers) - seen) == []
