"""Makes the MiniLM embedder's dynamically quantised ONNX file at install time (scripts/install-tools.mjs).

The packaged int8 model keeps its weights as int8 tensors that onnxruntime dequantises once at load
(constant folding), so a session holds them as float32 (about 90 MiB) and multiplies in float32.
Re-quantised per output channel for MatMulInteger, the weights stay int8 in memory and the products
run on int8 kernels: about half the memory and twice the speed, with embeddings at cosine 0.997 to the
packaged model's (mean; 0.995 the lowest over the RAG eval's 445 questions and passages).

The feed-forward down-projections are quantised by weight only (MatMulNBits, 8 bits in blocks of 32):
their inputs, the GELU activations, have the widest range, so one scale per run for a whole activation
tensor (MatMulInteger's) costs the most accuracy there; MatMulNBits scales activations per block of 32
instead. They used to stay float32 (14 MiB for MiniLM); now they take 4 MiB, at the same speed and the same
cosine to the packaged model (bench/RESULTS.md, "Performance": worker RSS after 50 answers 307-311 -> 298-304 MiB).

Usage: python3 quantize-embedder.py <packaged model.onnx> <output model.onnx>
"""
import logging
import os
import shutil
import sys
import tempfile

import onnx
import onnxruntime
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer


def down_projections(model_path: str) -> list:
    """The feed-forward output products (weights wider in than out, 1536 -> 384): the GELU activations they
    take have the widest range, so quantising their activations per run costs the most (see the module's doc)."""
    model = onnx.load(model_path)
    weights = {tensor.name: list(tensor.dims) for tensor in model.graph.initializer}
    return [node.name for node in model.graph.node if node.op_type == 'MatMul' and
            len(weights.get(node.input[1], [])) == 2 and weights[node.input[1]][0] > weights[node.input[1]][1]]


def main(source: str, target: str) -> None:
    # The quantiser advises a pre-processing pass meant for calibrated static quantisation; not this case.
    logging.getLogger().setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as scratch:
        # Basic optimisation folds the packaged dequantisation into plain float32 weights for the quantiser.
        folded = os.path.join(scratch, 'folded.onnx')
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = folded
        onnxruntime.InferenceSession(source, options, providers=['CPUExecutionProvider'])
        dynamic = os.path.join(scratch, 'dynamic.onnx')
        down = down_projections(folded)
        quantize_dynamic(folded, dynamic, weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=down)
        partial = target + '.partial'
        if down:
            # accuracy_level 4: int8 products, the activations quantised per block of the weights' blocks.
            config = DefaultWeightOnlyQuantConfig(bits=8, block_size=32, is_symmetric=False, accuracy_level=4)
            # The quantiser takes every MatMul with constant weights it is not told to leave; after quantize_dynamic
            # those are the down-projections, but it is told so rather than left to find out.
            model = onnx.load(dynamic)
            others = [node.name for node in model.graph.node if node.op_type == 'MatMul' and node.name not in down]
            weight_only = MatMulNBitsQuantizer(model, nodes_to_exclude=others, algo_config=config)
            weight_only.process()
            weight_only.model.save_model_to_file(partial, False)
        else:
            shutil.copyfile(dynamic, partial)
        # Renamed into place: a worker starting meanwhile never loads half a file.
        os.replace(partial, target)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: quantize-embedder.py <packaged model.onnx> <output model.onnx>')
    main(sys.argv[1], sys.argv[2])
