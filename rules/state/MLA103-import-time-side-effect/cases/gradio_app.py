"""A Gradio demo app fetches and loads the model it serves at module level, then builds and launches its
UI: like a single-file web service, that is its start-up (the model is loaded once, before the first
request), not an import-time side effect."""
import gradio as gr
import torch
from huggingface_hub import hf_hub_download

checkpoint = hf_hub_download(repo_id="org/model", filename="model.pt", local_dir="checkpoints")
model = torch.jit.load(checkpoint)
model.eval()


def predict(text: str) -> str:
    with torch.no_grad():
        return str(model(text))


with gr.Blocks() as demo:
    box = gr.Textbox()
    out = gr.Textbox()
    gr.Button("Run").click(predict, inputs=box, outputs=out)

if __name__ == "__main__":
    demo.launch()
