package dev.samvaad.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Random access to a byte range, so that one header parser serves both whole files held in
 * memory and {@link WavReader#probe}, which reads only the header bytes from disk.
 */
@FunctionalInterface
interface ByteSource {

    /**
     * @param offset where the range starts; the caller has checked the range is inside the source
     * @param length how many bytes
     * @return a little-endian buffer positioned at 0 holding exactly {@code length} bytes
     */
    ByteBuffer read(long offset, int length);

    static ByteSource of(byte[] bytes) {
        return (offset, length) ->
                ByteBuffer.wrap(bytes, (int) offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    static ByteSource of(FileChannel channel, Origin origin) {
        return (offset, length) -> {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            try {
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        // Only possible if the file shrinks while it is being read.
                        throw origin.error("file ended at byte %d while reading its header",
                                offset + buffer.position());
                    }
                }
            } catch (IOException e) {
                throw origin.ioError("cannot read", e);
            }
            return buffer.flip();
        };
    }
}
