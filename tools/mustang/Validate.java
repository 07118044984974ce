// Validates e-invoices with the Mustang validator (org.mustangproject:validator from Maven Central, fetched by
// scripts/mustang.js), which ships no command line of its own: one JVM for every file given, so its schematron
// stylesheets compile once. Run by test/support/invoicing/mustang.ts as
// `java -cp <validator jar> tools/mustang/Validate.java FILE...` (Java's single-file launcher: no build step).
// Prints each file's report after a marker line; exits 0 only if every file is valid.
import org.mustangproject.validator.ZUGFeRDValidator;

public class Validate {
  public static void main(String[] args) {
    boolean allValid = true;
    for (String file : args) {
      String report = new ZUGFeRDValidator().validate(file);
      // The file's verdict is the report's last <summary>: the PDF part's and the XML part's come before it.
      int at = report.lastIndexOf("<summary status=\"");
      boolean valid = at >= 0 && report.startsWith("<summary status=\"valid\"", at);
      allValid &= valid;
      System.out.println("=== " + file + " " + (valid ? "VALID" : "INVALID"));
      System.out.println(report);
    }
    System.exit(allValid ? 0 : 1);
  }
}
