package org.bnlab.backend;

import org.bnlab.model.CifarResNet;
import org.bnlab.model.ResNetConfig;
import org.bnlab.testing.Backend;
import org.bnlab.train.SgdMomentum;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** The two M2.1 defects are fixed: on the CPU backend, DL4J's oneDNN helpers really run the ResNet's layers. */
@ExtendWith(Backend.class)
class BackendReportTest {

    @Test
    void oneDnnBuildIsLoadedAndSeenThroughTheShim() {
        BackendReport report = BackendReport.current();
        assertEquals("CPU", report.backend());
        assertTrue(report.platform().endsWith("-onednn-avx2"), report.platform());
        assertTrue(report.onednnBuild(), "nd4j-native's oneDNN build answers isUseONEDNN through the shim");
        assertEquals("false", report.helpersProperty());
        assertTrue(report.helpersAllowed());
        assertTrue(report.onednnHelpers(), "BaseMKLDNNHelper.mklDnnEnabled() must be true: " + report.summary());
    }

    @Test
    void convolutionAndBatchNormLayersGetOneDnnHelpers() {
        ComputationGraph net = CifarResNet.build(ResNetConfig.resnet20(10).withDepth(8), new SgdMomentum(0.1, 0.9),
                1e-4, 1);
        BackendReport report = BackendReport.current(net);
        assertEquals("MKLDNNConvHelper", report.layerHelpers().get("ConvolutionLayer"), report.summary());
        assertEquals("MKLDNNBatchNormHelper", report.layerHelpers().get("BatchNormalization"), report.summary());
        assertTrue(report.fastPathActive());
    }

    @Test
    void theOneDnnKernelPathIsRecordedAsSuch() {
        ComputationGraph net = CifarResNet.build(ResNetConfig.resnet20(10).withDepth(8)
                .withFormat(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC)
                .withKernels(org.bnlab.model.KernelPath.ONEDNN), new SgdMomentum(0.1, 0.9), 1e-4, 1);
        BackendReport report = BackendReport.current(net);
        assertEquals("available", report.onednnKernels());
        assertEquals(BackendReport.ONEDNN_KERNELS, report.layerHelpers().get("DnnlConvolution"), report.summary());
        assertEquals(BackendReport.ONEDNN_KERNELS, report.layerHelpers().get("DnnlBatchNorm"), report.summary());
        assertTrue(report.fastPathActive());
    }
}
