package dev.berth.http;

/** Header names of the distribution API that HTTP itself does not define. */
final class Headers {
  /** The digest of the content a response carries or a request created. */
  static final String CONTENT_DIGEST = "Docker-Content-Digest";

  /** The id of an upload session. */
  static final String UPLOAD_UUID = "Docker-Upload-UUID";

  /** Sent on every response, so clients know they talk to a v2 registry. */
  static final String API_VERSION = "Docker-Distribution-API-Version";

  /** The digest of a pushed manifest's subject. */
  static final String OCI_SUBJECT = "OCI-Subject";

  /** Which filters the referrers API applied. */
  static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";

  private Headers() {}
}
