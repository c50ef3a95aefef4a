"""``review batch PATH... --out DIR --llm-batch FILE``: the LLM requests as an OpenAI Batch API input
file, one JSONL line per distinct report content::

    {"custom_id": "<sha256 of the report file>", "method": "POST", "url": "/v1/chat/completions",
     "body": <reviewer.llm.build_request(doc, tables, model=..., profile=..., mode=...)>}

The body is what ``review check`` would POST (the narrative, never the tables; no key). Reports that
cannot be read, or are not annual reports (D001: the review asks no model for them), are listed and
not written; identical contents are one line. ``--ingest`` (reviewer.batch.ingest) reads the answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.batch.sources import expand
from reviewer.errors import InputError, UsageError

URL = "/v1/chat/completions"


@dataclass
class Written:
    requests: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def request_line(custom_id: str, body: dict) -> str:
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": URL, "body": body},
                      ensure_ascii=False, separators=(",", ":")) + "\n"


def write_requests(paths: Iterable[str], target: Path, config, *, profile: str, exclude: Path | None = None) -> Written:
    """Write the batch input file (atomically: a temporary file renamed into place)."""
    from reviewer.engine import Engine, merge_tables
    from reviewer.ingest import read_bytes
    from reviewer.llm import build_request
    from reviewer.readers import read

    engine = Engine(profile=profile)
    done = Written()
    seen: set[str] = set()
    found = False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for src in expand(paths, exclude=exclude):
                found = True
                try:
                    sha = hashlib.sha256(read_bytes(src.path)).hexdigest()
                    if sha in seen:
                        done.duplicates += 1
                        continue
                    res = read(src.path)
                except InputError as e:
                    done.skipped.append((src.path, str(e)))
                    continue
                engine.year = src.year
                doc = engine.document(res.raw, src.path, encoding=res.encoding, fmt=res.format)
                if engine.gate(doc):
                    done.skipped.append((src.path, "不是政府信息公开工作年度报告（D001），无需大模型"))
                    continue
                body = build_request(doc, merge_tables(res.tables, doc), model=config.model,
                                     profile=engine.profile, mode=config.resolved_mode)
                f.write(request_line(sha, body))
                seen.add(sha)
                done.requests += 1
        if not found:
            raise UsageError("没有找到要审核的报告文件")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return done


def next_steps(target: Path, done: Written, paths: tuple[str, ...], out: str, model: str) -> str:
    lines = [f"已写入 {target}：{done.requests} 个请求（模型 {model}；内容相同的报告合并为一个请求，合并 {done.duplicates} 份）。"]
    if done.skipped:
        lines.append(f"未写入 {len(done.skipped)} 份报告：")
        lines.extend(f"  {p}：{why}" for p, why in done.skipped)
    args = " ".join(paths)
    lines += [
        "下一步：",
        (f"  1. 把 {target.name} 上传到大模型服务商的批处理接口（OpenAI：Files API，purpose=batch；"
         "再创建 Batch，endpoint=/v1/chat/completions，completion_window=24h）；"),
        "  2. 批处理完成后下载结果文件（output_file，如有失败另有 error_file，可合并为一个文件）；",
        f"  3. 导入结果并完成审核：review batch {args} --out {out} --ingest 结果.jsonl",
    ]
    return "\n".join(lines)
