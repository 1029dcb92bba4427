package dev.berth.registry;

import java.time.Instant;

/**
 * Where an upload stands.
 *
 * @param uploadId the upload's id, a random UUID
 * @param offset the number of bytes received so far
 * @param startedAt when the upload started
 */
public record UploadSession(String uploadId, long offset, Instant startedAt) {}
