import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.management.files import read_scenario, read_transcript
from assessment.scoring.moves import classify


class Command(BaseCommand):
    help = (
        "Recognise the agent moves in transcript files (docs/transcript-format.md). "
        "One file prints its result; with --out DIR each result is written to DIR under "
        "the input's name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("transcripts", nargs="+", type=Path)
        parser.add_argument("--scenario", type=Path, help="judge promises by this scenario's facts")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--out", type=Path, help="write one result per input file here")

    def handle(self, *args, transcripts, scenario, json: bool, out, **options) -> None:
        facts = read_scenario(scenario)[0] if scenario is not None else None
        if len(transcripts) > 1 and out is None:
            raise CommandError("several transcripts need --out DIR")
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
        for path in transcripts:
            result = self._classify(path, facts)
            if out is not None:
                (out / path.name).write_text(_dumps(result) + "\n", encoding="utf-8")
            elif json:
                self.stdout.write(_dumps(result))
            else:
                for message in result["messages"]:
                    self.stdout.write(f"{message['seq']:>4}  {' '.join(message['moves']) or '-'}")

    def _classify(self, path: Path, facts) -> dict:
        transcript = read_transcript(path)
        try:
            return classify(transcript, facts=facts)
        except ValueError as error:  # a language with no lexicon
            raise CommandError(f"{path}: language: {error}") from error


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
