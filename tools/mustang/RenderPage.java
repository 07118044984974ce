// Renders a PDF's first page to a PNG with the PDFBox inside the Mustang validator jar, so the tests look at an
// invoice as a person sees it (test/support/invoicing/render.ts). `java -cp <mustang jar> RenderPage.java IN.pdf
// OUT.png DPI` prints the page count, the image's width and height in pixels, then the ink of each twentieth of
// the page from top to bottom: the share of its pixels that are dark, in per mille; then the page's text as PDFBox's
// PDFTextStripper reads it back (lines in reading order, as a person or a text extractor gets them from the page).
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

public class RenderPage {
  public static void main(String[] args) throws Exception {
    // UTF-8 whatever the locale: the page's text has accents, narrow no-break spaces and the like.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    try (PDDocument document = Loader.loadPDF(new File(args[0]))) {
      var image = new PDFRenderer(document).renderImageWithDPI(0, Float.parseFloat(args[2]));
      ImageIO.write(image, "png", new File(args[1]));
      StringBuilder bands = new StringBuilder();
      int bandHeight = image.getHeight() / 20;
      for (int band = 0; band < 20; band++) {
        long dark = 0;
        for (int y = band * bandHeight; y < (band + 1) * bandHeight; y++) {
          for (int x = 0; x < image.getWidth(); x++) {
            int rgb = image.getRGB(x, y);
            int luminance = (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114) / 1000;
            if (luminance < 160) dark++;
          }
        }
        bands.append(band == 0 ? "" : " ").append(dark * 1000 / ((long) bandHeight * image.getWidth()));
      }
      out.println(document.getNumberOfPages() + " " + image.getWidth() + " " + image.getHeight());
      out.println(bands);
      PDFTextStripper stripper = new PDFTextStripper();
      stripper.setSortByPosition(true);
      stripper.setStartPage(1);
      stripper.setEndPage(1);
      stripper.setLineSeparator("\n");
      out.print(stripper.getText(document));
      out.flush();
    }
  }
}
