from ._import import ImportCommand


class Command(ImportCommand):
    help = "Import course feedback from a CSV file (all or nothing; safe to repeat). Columns: " \
           "response_id, course, responded_on, answer."
    kind = "feedback"
