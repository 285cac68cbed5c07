# Rubrics, assessments and reviews arrive with the scoring issue.
