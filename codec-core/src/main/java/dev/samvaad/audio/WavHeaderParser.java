package dev.samvaad.audio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Walks the chunks of a RIFF/WAVE file up to its {@code data} chunk and decodes the
 * {@code fmt } chunk on the way. Every declared size is checked against the bytes actually present
 * before anything is read, so a corrupt header can cause neither a huge allocation nor a read
 * past the end.
 *
 * <p>The RIFF size field is not trusted: streaming writers often leave it wrong, and the chunk
 * sizes checked against the real file length are what matter. Chunks after {@code data} are never
 * looked at.
 */
final class WavHeaderParser {

    /**
     * Where the sample data lies.
     *
     * @param dataOffset byte offset of the first sample
     * @param dataSize size the {@code data} chunk declares, known to lie within the source
     */
    record Layout(WavFormat format, long dataOffset, long dataSize) {
    }

    private static final int RIFF_HEADER_BYTES = 12;
    private static final int CHUNK_HEADER_BYTES = 8;
    private static final int MIN_FMT_BYTES = 16;
    private static final int EXTENSIBLE_FMT_BYTES = 40;
    private static final int SUB_FORMAT_OFFSET = 24;
    /** Bytes 4..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps an old-style format tag. */
    private static final byte[] SUB_FORMAT_GUID_TAIL = {
        0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    private final ByteSource source;
    private final long size;
    private final Origin origin;

    private WavHeaderParser(ByteSource source, long size, Origin origin) {
        this.source = source;
        this.size = size;
        this.origin = origin;
    }

    /**
     * @param size total number of bytes in {@code source}
     * @throws AudioFileException if the header is malformed or describes an unsupported format
     */
    static Layout parse(ByteSource source, long size, Origin origin) {
        return new WavHeaderParser(source, size, origin).parse();
    }

    private Layout parse() {
        checkRiffHeader();
        WavFormat format = null;
        long position = RIFF_HEADER_BYTES;
        while (size - position >= CHUNK_HEADER_BYTES) {
            ByteBuffer header = source.read(position, CHUNK_HEADER_BYTES);
            String id = fourCc(header, 0);
            long declared = Integer.toUnsignedLong(header.getInt(4));
            long bodyStart = position + CHUNK_HEADER_BYTES;
            long remaining = size - bodyStart;
            if (declared > remaining) {
                throw origin.error("%s chunk declares %d bytes but only %d remain in the file",
                        quote(id), declared, remaining);
            }
            if (id.equals("fmt ")) {
                if (format != null) {
                    throw origin.error("more than one 'fmt ' chunk");
                }
                format = parseFmt(bodyStart, declared);
            } else if (id.equals("data")) {
                if (format == null) {
                    throw origin.error("no 'fmt ' chunk before the 'data' chunk");
                }
                return new Layout(format, bodyStart, declared);
            }
            // RIFF pads odd-sized chunks with one byte that the size does not count.
            position = bodyStart + declared + (declared & 1);
        }
        throw origin.error(format == null ? "no 'fmt ' chunk found" : "no 'data' chunk found");
    }

    private void checkRiffHeader() {
        if (size == 0) {
            throw origin.error("file is empty");
        }
        if (size < RIFF_HEADER_BYTES) {
            throw origin.error("file is only %d bytes, too short for a RIFF/WAVE header (%d bytes)",
                    size, RIFF_HEADER_BYTES);
        }
        ByteBuffer header = source.read(0, RIFF_HEADER_BYTES);
        String magic = fourCc(header, 0);
        switch (magic) {
            case "RIFF" -> { }
            case "RIFX" -> throw origin.error("RIFX (big-endian RIFF) files are not supported");
            case "RF64", "BW64" -> throw origin.error("%s (64-bit RIFF) files are not supported", magic);
            default -> throw origin.error("not a WAV file (starts with %s)", quote(magic));
        }
        String form = fourCc(header, 8);
        if (!form.equals("WAVE")) {
            throw origin.error("not a WAV file (RIFF form type is %s, expected 'WAVE')", quote(form));
        }
    }

    private WavFormat parseFmt(long bodyStart, long declared) {
        if (declared < MIN_FMT_BYTES) {
            throw origin.error("'fmt ' chunk is %d bytes, shorter than the %d-byte minimum",
                    declared, MIN_FMT_BYTES);
        }
        ByteBuffer fmt = source.read(bodyStart, (int) Math.min(declared, EXTENSIBLE_FMT_BYTES));
        int tag = Short.toUnsignedInt(fmt.getShort(0));
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        long sampleRate = Integer.toUnsignedLong(fmt.getInt(4));
        // The byte-rate field at offset 8 is redundant and often wrong, so it is ignored.
        int blockAlign = Short.toUnsignedInt(fmt.getShort(12));
        int bits = Short.toUnsignedInt(fmt.getShort(14));

        if (tag == FormatTag.EXTENSIBLE) {
            tag = extensibleSubFormat(fmt, declared);
        } else if (tag != FormatTag.PCM && tag != FormatTag.IEEE_FLOAT) {
            throw origin.error("unsupported %s; only PCM and IEEE float are supported",
                    FormatTag.describe(tag));
        }
        if (channels == 0) {
            throw origin.error("'fmt ' chunk declares zero channels");
        }
        if (sampleRate == 0) {
            throw origin.error("'fmt ' chunk declares a sample rate of 0 Hz");
        }
        if (sampleRate > Integer.MAX_VALUE) {
            throw origin.error("sample rate %d Hz is out of range", sampleRate);
        }
        SampleEncoding encoding = encodingFor(tag, bits);
        int expectedBlockAlign = channels * (bits / 8);
        if (blockAlign != expectedBlockAlign) {
            throw origin.error("block align %d is inconsistent with %d channel(s) of %d-bit samples"
                    + " (expected %d)", blockAlign, channels, bits, expectedBlockAlign);
        }
        return new WavFormat((int) sampleRate, channels, bits, encoding);
    }

    /**
     * Bits per sample here is the container size; the valid-bits field is ignored because samples
     * are left-justified in their container, so scaling by the container size is already right.
     */
    private int extensibleSubFormat(ByteBuffer fmt, long declared) {
        if (declared < EXTENSIBLE_FMT_BYTES) {
            throw origin.error("WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is %d bytes, shorter than the %d"
                    + " bytes it needs", declared, EXTENSIBLE_FMT_BYTES);
        }
        byte[] guid = new byte[16];
        fmt.get(SUB_FORMAT_OFFSET, guid);
        long subTag = Integer.toUnsignedLong(fmt.getInt(SUB_FORMAT_OFFSET));
        boolean wrapsTag = Arrays.equals(guid, 4, 16, SUB_FORMAT_GUID_TAIL, 0, 12);
        if (wrapsTag && (subTag == FormatTag.PCM || subTag == FormatTag.IEEE_FLOAT)) {
            return (int) subTag;
        }
        String known = wrapsTag && subTag <= 0xFFFF ? " (" + FormatTag.describe((int) subTag) + ")" : "";
        throw origin.error("unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID %s%s; only PCM and"
                + " IEEE float are supported", guidString(fmt, SUB_FORMAT_OFFSET), known);
    }

    private SampleEncoding encodingFor(int tag, int bits) {
        if (tag == FormatTag.IEEE_FLOAT) {
            if (!SampleEncoding.IEEE_FLOAT.supports(bits)) {
                throw origin.error("%d bits per sample is not supported for IEEE float"
                        + " (supported: 32, 64)", bits);
            }
            return SampleEncoding.IEEE_FLOAT;
        }
        if (SampleEncoding.PCM_UNSIGNED.supports(bits)) {
            return SampleEncoding.PCM_UNSIGNED;
        }
        if (!SampleEncoding.PCM_SIGNED.supports(bits)) {
            throw origin.error("%d bits per sample is not supported for PCM (supported: 8, 16, 24, 32)",
                    bits);
        }
        return SampleEncoding.PCM_SIGNED;
    }

    private static String fourCc(ByteBuffer buffer, int offset) {
        byte[] id = new byte[4];
        buffer.get(offset, id);
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    /** @return the id in quotes if it is printable ASCII, else its bytes in hex */
    private static String quote(String fourCc) {
        if (fourCc.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            return "'" + fourCc + "'";
        }
        StringBuilder hex = new StringBuilder("bytes");
        fourCc.chars().forEach(c -> hex.append(String.format(Locale.ROOT, " %02X", c)));
        return hex.toString();
    }

    /** Formats a little-endian Windows GUID the way it is usually written. */
    private static String guidString(ByteBuffer buffer, int offset) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%08x-%04x-%04x-",
                buffer.getInt(offset), buffer.getShort(offset + 4), buffer.getShort(offset + 6)));
        for (int i = 8; i < 16; i++) {
            text.append(String.format(Locale.ROOT, "%02x", buffer.get(offset + i)));
            if (i == 9) {
                text.append('-');
            }
        }
        return text.toString();
    }
}
