// Checks UBL invoices against the Peppol BIS Billing 3.0 rules (OpenPEPPOL's PEPPOL-EN16931-UBL schematron, as
// compiled to XSLT in com.helger.phive.rules:phive-rules-peppol from Maven Central), with the Saxon the Mustang
// validator jar carries. Mustang checks EN 16931 itself; these are the rules Peppol adds (electronic addresses,
// buyer reference, code lists). Run as `java -cp <mustang jar>:<phive-rules-peppol jar> PeppolValidate.java FILE...`;
// prints each file's fired rules that failed, flag and id; exits 0 only if no file breaks a fatal rule.
import java.io.File;
import java.io.StringWriter;
import javax.xml.transform.stream.StreamSource;
import net.sf.saxon.s9api.*;

public class PeppolValidate {
  static final String RULES = "external/schematron/openpeppol/2025.11/xslt/PEPPOL-EN16931-UBL.xslt";

  public static void main(String[] args) throws Exception {
    Processor processor = new Processor(false);
    var stylesheet = PeppolValidate.class.getClassLoader().getResource(RULES);
    if (stylesheet == null) throw new IllegalStateException(RULES + " is not on the classpath");
    XsltExecutable rules = processor.newXsltCompiler().compile(new StreamSource(stylesheet.openStream(), stylesheet.toString()));
    boolean allValid = true;
    for (String file : args) {
      XsltTransformer transformer = rules.load();
      transformer.setSource(new StreamSource(new File(file)));
      XdmDestination svrl = new XdmDestination();
      transformer.setDestination(svrl);
      transformer.transform();
      XPathCompiler xpath = processor.newXPathCompiler();
      xpath.declareNamespace("svrl", "http://purl.oclc.org/dsdl/svrl");
      XdmValue failed = xpath.evaluate("//svrl:failed-assert", svrl.getXdmNode());
      XdmValue fatal = xpath.evaluate("//svrl:failed-assert[@flag='fatal']", svrl.getXdmNode());
      boolean valid = fatal.size() == 0;
      allValid &= valid;
      System.out.println("=== " + file + " " + (valid ? "VALID" : "INVALID"));
      for (XdmItem item : failed) {
        XdmNode node = (XdmNode) item;
        System.out.println("<error flag=\"" + node.getAttributeValue(new QName("flag")) + "\" id=\"" + node.getAttributeValue(new QName("id")) + "\">"
            + xpath.evaluateSingle("string(svrl:text)", node).getStringValue().trim().replace('<', ' ') + "</error>");
      }
    }
    System.exit(allValid ? 0 : 1);
  }
}
