#!/usr/bin/env python3
"""PyTorch reference timing for scripts/benchmark: ResNet-20 (He et al. 2016, option A, as in akamaster's
pytorch_resnet_cifar10) with each normalizer bnlab has (BN, none, nn.GroupNorm with min(32, C) groups as bnlab's
rule, GroupNorm with one group for Wu and He's LayerNorm, nn.InstanceNorm2d(affine=True)), batch 128, on the CPU, random data. Prints training and inference
images/s (median, min, max of the repetitions after warm-up), the same measurement bnlab's benchmark makes.

    apt-get install -y python3-torch      # Debian's PyTorch
    /usr/bin/python3 scripts/pytorch_reference.py [--threads 2] [--repetitions 5] [--iterations 4] [--norms batchnorm,groupnorm]
"""
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
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    print(f"{'model':9} {'norm':12} {'mode':10} {'batch':>6} {'median img/s':>12} {'min':>10} {'max':>10}")
    b = args.batch_size
    x = torch.randn(b, 3, 32, 32)
    y = torch.arange(b) % 10
    for bn in args.norms.split(","):
        net = ResNet(20, bn)
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
        for mode, (median, low, high) in rows:
            print(f"{'resnet20':9} {bn:12} {mode:10} {b:6d} {median:12.1f} {low:10.1f} {high:10.1f}")


if __name__ == "__main__":
    main()
