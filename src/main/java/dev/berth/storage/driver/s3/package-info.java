/**
 * The {@code s3} storage driver (also named {@code s3aws}): the registry's key space in an S3
 * bucket (AWS, MinIO, Ceph RGW and other S3-compatible stores), with the object keys registry:2's
 * s3 driver writes, so that one bucket can be served by either.
 */
@NullMarked
package dev.berth.storage.driver.s3;

import org.jspecify.annotations.NullMarked;
