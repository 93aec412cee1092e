"""Reads PyRIT's scored-answer files (pyrit/datasets/scorer_evals/harm/*.csv) out of its wheel, for the two
export scripts beside this one (export-pyrit-harm-scores.py, export-pyrit-jailbreaks.py)."""
import csv
import io

HARM_FOLDER = 'pyrit/datasets/scorer_evals/harm/'


def harm_records(archive, name):
    """The rows of one harm CSV as dicts; its first line is a comment naming the dataset's version and harm scale."""
    lines = archive.read(HARM_FOLDER + name).decode('utf-8').splitlines(keepends=True)
    return list(csv.DictReader(io.StringIO(''.join(lines[1:]))))
