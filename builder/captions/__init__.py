"""Descriptions for rows whose own text is not an instruction (the `describe` stage).

`synthesize` writes one offline and deterministically from the runtime trace; the optional LLM path is
`prompt` (the versioned template in `configs/prompts/caption.yaml`, rendered from a scene's code, trace
and context) and `llm` (asks an OpenAI-compatible endpoint, with bounded concurrency, retries, timeouts
and a cache, and checks each reply).
"""
