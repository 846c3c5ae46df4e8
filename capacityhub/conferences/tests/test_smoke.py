import pytest

from capacityhub.conferences.tests.factories import make_conference, make_topic, moderator_user, participant


@pytest.mark.django_db
def test_pages_render(client, roles):
    mod = moderator_user()
    conference = make_conference(moderator=mod)
    make_topic(conference)
    participant(conference)
    for user in (None, mod):
        client.logout()
        if user:
            client.force_login(user)
        for url in [
            "/en/conferences/",
            "/en/conferences/feed.atom",
            conference.get_absolute_url(),
            conference.get_absolute_url() + "topics/1/",
        ]:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content.decode()[:2000])
