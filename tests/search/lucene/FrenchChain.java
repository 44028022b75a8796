// The French chain of the Elasticsearch index (search/engines/elasticsearch.py), built from
// Lucene's own filters: one line of text in, its terms out. Arguments: the elided articles and
// the stop words, comma-separated, and the pattern of an ordinal (its number kept).
import java.io.*;
import java.util.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

public class FrenchChain {
    public static void main(String[] args) throws Exception {
        CharArraySet articles = new CharArraySet(Arrays.asList(args[0].split(",")), true);
        CharArraySet stop = new CharArraySet(Arrays.asList(args[1].split(",")), false);
        Pattern ordinal = Pattern.compile(args[2]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(System.out, true, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            Tokenizer tokenizer = new StandardTokenizer();
            tokenizer.setReader(new StringReader(line));
            TokenStream stream = new ElisionFilter(tokenizer, articles);
            stream = new LowerCaseFilter(stream);
            stream = new StopFilter(stream, stop);
            stream = new ASCIIFoldingFilter(stream);
            stream = new PatternReplaceFilter(stream, ordinal, "$1", false);
            stream = new FrenchLightStemFilter(stream);
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            List<String> tokens = new ArrayList<>();
            while (stream.incrementToken()) tokens.add(term.toString());
            stream.end();
            stream.close();
            out.println(String.join(" ", tokens));
        }
    }
}
