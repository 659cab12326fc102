package custos.audit;

/** A proof, checkpoint, note or tile did not verify; the message says which check failed. */
public class InvalidProofException extends Exception {
    public InvalidProofException(String message) {
        super(message);
    }
}
