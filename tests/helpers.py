HTMX = {"HTTP_HX_REQUEST": "true"}


def text_of(response):
    return response.content.decode()
