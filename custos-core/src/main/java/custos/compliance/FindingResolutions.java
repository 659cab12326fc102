package custos.compliance;

import java.util.Map;

/** Where operators' resolutions of findings are kept; the console's resolve action records through this port. */
public interface FindingResolutions {

    /** Records a resolution; the finding stays computed and is listed as resolved by it. */
    void resolve(Resolution resolution);

    /** The latest resolution of each finding id. */
    Map<String, Resolution> latest();
}
