"""Pure scorers over transcripts: no Django, no I/O (DESIGN.md).

    report = score(transcript, default_rubric("after_sale"), facts=facts, ending=Ending("success", 4))

gives a `Report`: a mark per criterion with its evidence (message numbers) and note codes that
`assessment/messages.py` turns into text.
"""

from assessment.scoring.report import CriterionResult, FactError, Note, Part, Report
from assessment.scoring.rubric import (
    CRITERIA,
    KINDS,
    Rubric,
    RubricError,
    default_rubric,
    default_rubric_data,
)
from assessment.scoring.scorer import SCORER_VERSION, Ending, combine, score

__all__ = [
    "CRITERIA",
    "KINDS",
    "SCORER_VERSION",
    "CriterionResult",
    "Ending",
    "FactError",
    "Note",
    "Part",
    "Report",
    "Rubric",
    "RubricError",
    "combine",
    "default_rubric",
    "default_rubric_data",
    "score",
]
