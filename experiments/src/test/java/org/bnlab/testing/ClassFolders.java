package org.bnlab.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Writes small class-folder datasets ({@code root/train/<class>/}, {@code root/test/<class>/}) of 8x8 PNGs. */
public final class ClassFolders {

    private ClassFolders() {
    }

    /**
     * {@code trainPerClass} and {@code testPerClass} PNGs named {@code 00.png, 01.png, ...} in each of {@code classes};
     * class k is a solid colour that differs per class (so a network can learn it), with a per-image shade.
     *
     * @return {@code root}
     */
    public static Path write(Path root, List<String> classes, int trainPerClass, int testPerClass) throws IOException {
        for (int k = 0; k < classes.size(); k++) {
            writeSplit(root.resolve("train").resolve(classes.get(k)), k, trainPerClass);
            writeSplit(root.resolve("test").resolve(classes.get(k)), k, testPerClass);
        }
        return root;
    }

    private static void writeSplit(Path folder, int classIndex, int count) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            int base = classIndex % 2 == 0 ? 0xC00000 : 0x0000C0;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    image.setRGB(x, y, base + (i * 3 << 8));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("%02d.png", i)).toFile());
        }
    }
}
