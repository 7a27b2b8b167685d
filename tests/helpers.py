HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(response):
    return response.content.decode()


def log_in(client, username, password="improve-demo"):
    """Log in through the real login page (login throttling needs the request)."""
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"{username} could not log in"
    return response
