"""What import_training and import_feedback share: the same check-and-import as the Training page."""

from django.core.management.base import BaseCommand, CommandError

from training import importer


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8, with a header row)")
        parser.add_argument("--check", action="store_true", help="check the file and say what it would do; import nothing")
        if self.kind == "training":
            parser.add_argument("--clinical", action="append", default=[], metavar="UNIT",
                                help="a new unit of the file that is a clinical service unit (repeat for each)")
            parser.add_argument("--not-clinical", action="append", default=[], metavar="UNIT",
                                help="a new unit of the file that is not (a corporate department; repeat for each)")

    def handle(self, *args, file, check, clinical=(), not_clinical=(), **options):
        answers = {**{name: True for name in clinical}, **{name: False for name in not_clinical}}
        try:
            chunks = importer.file_chunks(file)
            report = importer.check(self.kind, chunks) if check else importer.import_file(self.kind, chunks, clinical=answers)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        if report.file_error:
            raise CommandError(f"{file} was not imported: {report.file_error}")
        if not report.ok:
            for error in report.errors:
                column = f", column {error.column}" if error.column else ""
                self.stderr.write(f"row {error.row}{column}: {error.reason} [{error.value}]")
            if report.errors_not_listed:
                self.stderr.write(f"... and {report.errors_not_listed} more")
            raise CommandError(f"{file} was not imported: {report.error_count} problem(s) in {report.rows} rows. Nothing was written.")
        verb = "Would import" if check else "Imported"
        self.stdout.write(self.style.SUCCESS(f"{verb} {file}:"))
        for label, number in report.counts.items():
            self.stdout.write(f"  {label}: {number}")
        for name in report.new_units:
            said = {True: "a clinical service unit", False: "not a clinical service unit"}.get(answers.get(name), "say --clinical or --not-clinical")
            self.stdout.write(f"    {name}: {said}")
