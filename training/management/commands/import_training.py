from ._import import ImportCommand


class Command(ImportCommand):
    help = "Import training records from a CSV file (all or nothing; safe to repeat). Columns: " \
           "staff_number, name, staff_group, unit, course, completed_on, left_on."
    kind = "training"
