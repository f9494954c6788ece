package dev.samvaad.audio;

import java.util.Locale;

/** The {@code wFormatTag} values of a WAV {@code fmt } chunk that this package knows by name. */
final class FormatTag {

    static final int PCM = 0x0001;
    static final int IEEE_FLOAT = 0x0003;
    static final int EXTENSIBLE = 0xFFFE;

    private FormatTag() {
    }

    /** @return e.g. {@code "format tag 0x0055 (MPEG Layer 3)"} */
    static String describe(int tag) {
        String hex = String.format(Locale.ROOT, "format tag 0x%04X", tag);
        String name = name(tag);
        return name == null ? hex : hex + " (" + name + ")";
    }

    private static String name(int tag) {
        return switch (tag) {
            case PCM -> "PCM";
            case 0x0002 -> "MS ADPCM";
            case IEEE_FLOAT -> "IEEE float";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MPEG Layer 3";
            case 0x0161 -> "WMA";
            case EXTENSIBLE -> "WAVE_FORMAT_EXTENSIBLE";
            default -> null;
        };
    }
}
