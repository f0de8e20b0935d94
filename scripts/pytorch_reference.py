#!/usr/bin/env python3
"""PyTorch reference timing for scripts/benchmark: ResNet-20 (He et al. 2016, option A, as in akamaster's
pytorch_resnet_cifar10) with each normalizer bnlab has (BN, none, nn.GroupNorm with min(32, C) groups as bnlab's
rule, GroupNorm with one group for Wu and He's LayerNorm, nn.InstanceNorm2d(affine=True)), batch 128, on the CPU, random data. Prints training and inference
images/s (median, min, max of the repetitions after warm-up), the same measurement bnlab's benchmark makes, in
each memory format a PyTorch user would try: NCHW (PyTorch's default) and channels-last
(model.to(memory_format=torch.channels_last) and the input likewise, the format oneDNN prefers on AVX-512), then
the faster of the two per cell ("best" rows). scripts/benchmark-vs-pytorch alternates this with bnlab's benchmark
and prints the ratios.

    apt-get install -y python3-torch      # Debian's PyTorch
    /usr/bin/python3 scripts/pytorch_reference.py [--threads 2] [--repetitions 5] [--iterations 4] [--norms batchnorm,groupnorm]
        [--formats nchw,channels_last] [--csv FILE]
"""
import csv
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def norm_layer(kind, channels):
    if kind == "batchnorm":
        return nn.BatchNorm2d(channels)
    if kind == "groupnorm":
        return nn.GroupNorm(min(32, channels), channels)
    if kind == "layernorm":
        return nn.GroupNorm(1, channels)
    if kind == "instancenorm":
        return nn.InstanceNorm2d(channels, affine=True)
    return nn.Identity()


class Block(nn.Module):
    def __init__(self, cin, cout, stride, bn):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = norm_layer(bn, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = norm_layer(bn, cout)
        self.pad = (cout - cin) // 2 if (stride != 1 or cin != cout) else None

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x if self.pad is None else F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(out + shortcut)


class ResNet(nn.Module):
    def __init__(self, depth=20, bn="batchnorm", classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn = norm_layer(bn, 16)
        layers, cin = [], 16
        for stage, width in enumerate((16, 32, 64)):
            for block in range(n):
                layers.append(Block(cin, width, 2 if stage > 0 and block == 0 else 1, bn))
                cin = width
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)
        if bn == "none":  # keep the timed numbers finite, as bnlab's benchmark does (zero-residual init)
            for m in self.modules():
                if isinstance(m, Block):
                    nn.init.zeros_(m.conv2.weight)
            nn.init.zeros_(self.fc.weight)

    def forward(self, x):
        x = F.relu(self.bn(self.conv(x)))
        x = self.layers(x)
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


def measure(step, images, warmup, repetitions, iterations):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        rates.append(images * iterations / (time.perf_counter() - start))
    return statistics.median(rates), min(rates), max(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=10)  # as scripts/benchmark
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--norms", default="batchnorm,none,groupnorm,layernorm,instancenorm")
    parser.add_argument("--formats", default="nchw,channels_last", help="memory formats to time, each per cell")
    parser.add_argument("--csv", help="also write the rows (every format and the best per cell) to this file")
    args = parser.parse_args()
    formats = args.formats.split(",")
    for f in formats:
        if f not in MEMORY_FORMATS:
            parser.error(f"--formats: unknown memory format '{f}' (expected nchw or channels_last)")
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    print(f"{'model':9} {'norm':12} {'mode':10} {'format':20} {'batch':>6} {'median img/s':>12} {'min':>10} {'max':>10}")
    b = args.batch_size
    rows = []
    for bn in args.norms.split(","):
        timed = {}
        for fmt in formats:
            for mode, (median, low, high) in time_resnet(bn, MEMORY_FORMATS[fmt], b, args):
                timed.setdefault(mode, []).append((median, fmt))
                rows.append(("resnet20", bn, mode, fmt, b, median, low, high))
                print(f"{'resnet20':9} {bn:12} {mode:10} {fmt:20} {b:6d} {median:12.1f} {low:10.1f} {high:10.1f}", flush=True)
        for mode, results in timed.items():
            median, fmt = max(results)
            rows.append(("resnet20", bn, mode, "best:" + fmt, b, median, "", ""))
            print(f"{'resnet20':9} {bn:12} {mode:10} {'best: ' + fmt:20} {b:6d} {median:12.1f}", flush=True)
    if args.csv:
        with open(args.csv, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["model", "normalization", "mode", "memory_format", "batch_size",
                             "median_images_per_second", "min_images_per_second", "max_images_per_second"])
            writer.writerows(rows)


MEMORY_FORMATS = {"nchw": torch.contiguous_format, "channels_last": torch.channels_last}


def time_resnet(bn, memory_format, b, args):
    """Training and inference (median, min, max) images/s of ResNet-20 with normalizer bn in one memory format."""
    torch.manual_seed(7)
    net = ResNet(20, bn).to(memory_format=memory_format)
    x = torch.randn(b, 3, 32, 32).contiguous(memory_format=memory_format)
    y = torch.arange(b) % 10
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

    def train_step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()

    net.train()
    rows = [("train", measure(train_step, b, args.warmup, args.repetitions, args.iterations))]
    net.eval()
    with torch.no_grad():
        rows.append(("inference", measure(lambda: net(x), b, args.warmup, args.repetitions, args.iterations)))
    return rows


if __name__ == "__main__":
    main()
