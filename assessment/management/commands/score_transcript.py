import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from assessment.management.files import read_scenario, read_transcript
from assessment.messages import note_text
from assessment.scoring import KINDS, Report, Rubric, RubricError, default_rubric, score


class Command(BaseCommand):
    help = (
        "Score transcript files (docs/transcript-format.md) against a rubric. One file prints "
        "its report; with --out DIR each report is written to DIR under the input's name. "
        "Without --scenario the rubric follows the file's kind and the facts its shop_facts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("transcripts", nargs="+", type=Path)
        parser.add_argument("--scenario", type=Path, help="the scenario YAML the chat was held in")
        parser.add_argument(
            "--rubric",
            help="a library rubric (default-pre_sale, default-order_confirmation, "
            "default-after_sale) or a rubric JSON file",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--out", type=Path, help="write one report per input file here")
        parser.add_argument(
            "--language", default="zh-hans", help="language of the explanations (zh-hans, en)"
        )

    def handle(self, *args, transcripts, scenario, rubric, json, out, language, **options) -> None:
        facts, kind = (None, None) if scenario is None else read_scenario(scenario)
        chosen = _rubric(rubric) if rubric else None
        if len(transcripts) > 1 and out is None:
            raise CommandError("several transcripts need --out DIR")
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
        with translation.override(language):
            for path in transcripts:
                transcript = read_transcript(path)
                try:
                    report = score(
                        transcript, chosen or default_rubric(kind or transcript.kind), facts=facts
                    )
                except ValueError as error:  # a language with no lexicon
                    raise CommandError(f"{path}: language: {error}") from error
                result = report_json(report)
                if out is not None:
                    (out / path.name).write_text(_dumps(result) + "\n", encoding="utf-8")
                elif json:
                    self.stdout.write(_dumps(result))
                else:
                    self.stdout.write(f"{path}: {result['total']:.1f}/100")
                    for item in result["criteria"]:
                        mark = (
                            f"{item['score']:.1f}/{item['max']:g}" if item["applicable"] else "n/a"
                        )
                        self.stdout.write(f"  {item['key']:<14}{mark:>10}  {item['explanation']}")


def report_json(report: Report) -> dict[str, Any]:
    """The report as `score_transcript --json` prints it: the scorer's own JSON with each note
    turned into a sentence in the active language, plus what to do next time."""
    data = report.to_json()
    for item in data["criteria"]:
        note = item["explanation"]
        item["explanation"] = note_text(note["code"], note["params"])
        del item["advice"], item["parts"]
    data["advice"] = [note_text(note.code, note.params) for note in report.advice]
    return data


def _rubric(name: str) -> Rubric:
    for kind in KINDS:
        if name == f"default-{kind}":
            return default_rubric(kind)
    path = Path(name)
    if not path.suffix == ".json":
        raise CommandError(f"--rubric: unknown rubric '{name}'")
    try:
        return Rubric.from_mapping(json.loads(path.read_text("utf-8")))
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON ({error})") from error
    except RubricError as error:
        raise CommandError(f"{path}: {error.path}: {error.code}") from error


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
