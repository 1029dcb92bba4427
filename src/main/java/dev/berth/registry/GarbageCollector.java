package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.RegistryException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.storage.driver.FileInfo;
import dev.berth.storage.driver.PathNotFoundException;
import dev.berth.storage.driver.StorageDriver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes blobs that no manifest needs any more, and with {@code deleteUntagged} the manifests no
 * tag leads to: the {@code registry garbage-collect} of registry:2, made safe to run while the
 * registry serves pushes.
 *
 * <p>Mark: every repository's manifest revisions are read; the kept ones (all of them, or with
 * {@code deleteUntagged} those reachable from a tag through index children and referrers) mark
 * every digest they mention. Sweep: every blob that is not marked is deleted with its directory,
 * and the repositories' links to it go too.
 *
 * <p>Why it can run without downtime: a push uploads its blobs before the manifest that needs them,
 * so a blob or a manifest younger than {@code minimumAge} is never deleted, whatever the mark says;
 * and just before the sweep, manifests pushed since the mark began are read and marked as well.
 * What remains is a push that reuses a blob older than {@code minimumAge} that no manifest needed,
 * in the moment between that last mark and the blob's deletion: its manifest then names a missing
 * blob. A run in {@code storage.maintenance.readonly} mode, as registry:2 requires, rules that out.
 */
public final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final StorageDriver driver;
  private final Options options;
  private final Clock clock;
  private final Links links;
  private final LookupCache lookups;
  private final CatalogService catalog;
  private Instant nextProgress = Instant.EPOCH;

  /**
   * How a run behaves.
   *
   * @param dryRun log what would be deleted, delete nothing
   * @param deleteUntagged also delete manifests that no tag leads to
   * @param minimumAge blobs and manifests younger than this are kept whatever the mark says
   */
  public record Options(boolean dryRun, boolean deleteUntagged, Duration minimumAge) {}

  /**
   * What a run found and did (or, in a dry run, would have done).
   *
   * @param repositories the repositories scanned
   * @param manifests the manifest revisions found
   * @param manifestsDeleted the untagged manifests deleted
   * @param blobs the blobs found
   * @param blobsDeleted the blobs deleted
   * @param bytesDeleted the bytes of the deleted blobs
   * @param dryRun whether nothing was deleted
   */
  public record Result(
      int repositories,
      int manifests,
      int manifestsDeleted,
      int blobs,
      int blobsDeleted,
      long bytesDeleted,
      boolean dryRun) {}

  /** One repository as the mark found it. */
  private record Scanned(RepositoryName name, Set<Digest> revisions) {}

  /**
   * Creates a collector over a store.
   *
   * @param driver the store, the same one the registry serves
   * @param options dry run, untagged manifests and the minimum age
   * @param clock decides what is young
   */
  public GarbageCollector(StorageDriver driver, Options options, Clock clock) {
    this(driver, options, clock, LookupCache.none());
  }

  /**
   * Creates a collector that also drops what it deletes from the registry's shared cache. The
   * collection itself reads storage only: a cached tag could be older than the store.
   *
   * @param lookups the cache the serving replicas use
   */
  public GarbageCollector(StorageDriver driver, Options options, Clock clock, LookupCache lookups) {
    this.lookups = lookups;
    this.driver = driver;
    this.options = options;
    this.clock = clock;
    this.links = new Links(driver);
    this.catalog = new CatalogService(driver);
  }

  /** Runs one collection and logs its summary. */
  public Result collect() {
    long start = System.nanoTime();
    nextProgress = clock.instant().plus(PROGRESS_INTERVAL);
    Instant youngAfter = clock.instant().minus(options.minimumAge());
    LOG.atInfo()
        .setMessage("garbage collection started")
        .addKeyValue("dryrun", options.dryRun())
        .addKeyValue("delete.untagged", options.deleteUntagged())
        .addKeyValue("minimum.age", options.minimumAge())
        .log();

    Set<Digest> marked = new HashSet<>();
    List<RepositoryName> names = repositories();
    List<Scanned> scanned = new ArrayList<>();
    int manifestsDeleted = 0;
    for (RepositoryName name : names) {
      Set<Digest> revisions = revisions(name);
      Set<Digest> kept = mark(name, revisions, youngAfter, marked);
      for (Digest revision : revisions) {
        if (!kept.contains(revision) && deleteManifest(name, revision)) {
          manifestsDeleted++;
        }
      }
      scanned.add(new Scanned(name, revisions));
      progress("mark", scanned.size(), names.size());
    }
    int manifests = scanned.stream().mapToInt(s -> s.revisions().size()).sum();
    markPushedSince(scanned, marked);

    Set<Digest> deleted = new HashSet<>();
    long[] bytes = {0};
    int blobs = sweep(marked, youngAfter, deleted, bytes);
    if (!options.dryRun()) {
      for (RepositoryName name : repositories()) {
        unlinkDeleted(name, deleted);
      }
    }

    Result result =
        new Result(
            names.size(),
            manifests,
            manifestsDeleted,
            blobs,
            deleted.size(),
            bytes[0],
            options.dryRun());
    LOG.atInfo()
        .setMessage(
            options.dryRun()
                ? "garbage collection dry run finished"
                : "garbage collection finished")
        .addKeyValue("repositories", result.repositories())
        .addKeyValue("manifests", result.manifests())
        .addKeyValue("manifests.deleted", result.manifestsDeleted())
        .addKeyValue("blobs", result.blobs())
        .addKeyValue("blobs.deleted", result.blobsDeleted())
        .addKeyValue("bytes.deleted", result.bytesDeleted())
        .addKeyValue("dryrun", result.dryRun())
        .addKeyValue("duration.ms", (System.nanoTime() - start) / 1_000_000)
        .log();
    return result;
  }

  /**
   * Marks what the repository's kept manifests need and returns the kept revisions: all of them, or
   * with {@code deleteUntagged} those a tag leads to, their index children and referrers, and the
   * young ones.
   */
  private Set<Digest> mark(
      RepositoryName name, Set<Digest> revisions, Instant youngAfter, Set<Digest> marked) {
    Map<Digest, ManifestReferences> references = new HashMap<>();
    Map<Digest, List<Digest>> referrersBySubject = new HashMap<>();
    for (Digest revision : revisions) {
      Optional<ManifestReferences> read = read(name, revision);
      if (read.isEmpty()) {
        continue;
      }
      references.put(revision, read.get());
      read.get()
          .subject()
          .ifPresent(
              s -> referrersBySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(revision));
    }

    Deque<Digest> pending = new ArrayDeque<>();
    if (options.deleteUntagged()) {
      pending.addAll(tagged(name));
      for (Digest revision : revisions) {
        if (isYoung(RegistryPaths.manifestRevisionLink(name, revision), youngAfter)) {
          pending.add(revision);
        }
      }
    } else {
      pending.addAll(revisions);
    }
    Set<Digest> kept = new HashSet<>();
    while (!pending.isEmpty()) {
      Digest digest = pending.pop();
      if (!revisions.contains(digest) || !kept.add(digest)) {
        continue;
      }
      marked.add(digest);
      ManifestReferences refs = references.get(digest);
      if (refs == null) {
        continue; // its content is missing; nothing more to mark
      }
      marked.addAll(refs.mentioned());
      pending.addAll(refs.mentioned());
      pending.addAll(referrersBySubject.getOrDefault(digest, List.of()));
    }
    if (!options.deleteUntagged()) {
      // A revision whose content is gone is kept as registry:2 keeps it; it has nothing to mark.
      kept.addAll(revisions);
    }
    return kept;
  }

  /**
   * Marks the manifests pushed while the mark ran, so that a push that finished meanwhile keeps the
   * old blobs it reuses.
   */
  private void markPushedSince(List<Scanned> scanned, Set<Digest> marked) {
    Map<RepositoryName, Set<Digest>> seen = new HashMap<>();
    scanned.forEach(s -> seen.put(s.name(), s.revisions()));
    for (RepositoryName name : repositories()) {
      for (Digest revision : revisions(name)) {
        if (!seen.getOrDefault(name, Set.of()).contains(revision)) {
          marked.add(revision);
          read(name, revision).ifPresent(refs -> marked.addAll(refs.mentioned()));
        }
      }
    }
  }

  /** Deletes every blob that is neither marked nor young; returns how many blobs it saw. */
  private int sweep(Set<Digest> marked, Instant youngAfter, Set<Digest> deleted, long[] bytes) {
    List<FileInfo> candidates = new ArrayList<>();
    int[] blobs = {0};
    try {
      driver.walk(
          RegistryPaths.blobsRoot(),
          info -> {
            String path = info.path();
            if (info.directory()) {
              return true;
            }
            if (path.endsWith("/data")) {
              blobs[0]++;
              Optional<Digest> digest = blobDigest(path);
              if (digest.isPresent() && !marked.contains(digest.get())) {
                candidates.add(info);
              }
            }
            return false;
          });
    } catch (PathNotFoundException empty) {
      return 0;
    }
    for (FileInfo data : candidates) {
      Digest digest = blobDigest(data.path()).orElseThrow();
      if (data.modified().isAfter(youngAfter)) {
        LOG.atDebug()
            .setMessage("blob kept")
            .addKeyValue("digest", digest)
            .addKeyValue("reason", "younger than the minimum age")
            .log();
        continue;
      }
      LOG.atInfo()
          .setMessage(options.dryRun() ? "blob would be deleted" : "blob deleted")
          .addKeyValue("digest", digest)
          .addKeyValue("size", data.size())
          .addKeyValue("reason", "no manifest references it")
          .log();
      if (!options.dryRun()) {
        driver.deleteIfExists(RegistryPaths.blobDirectory(digest));
        lookups.blobDeleted(digest);
      }
      deleted.add(digest);
      bytes[0] += data.size();
      progress("sweep", deleted.size(), candidates.size());
    }
    return blobs[0];
  }

  /** Removes the repository's links to deleted blobs, which would otherwise lead nowhere. */
  private void unlinkDeleted(RepositoryName name, Set<Digest> deleted) {
    String layers = RegistryPaths.layers(name);
    for (String algorithm : children(layers)) {
      for (String hex : children(layers + "/" + algorithm)) {
        Optional<Digest> digest = digest(algorithm, hex).filter(deleted::contains);
        if (digest.isPresent()) {
          driver.deleteIfExists(layers + "/" + algorithm + "/" + hex);
          lookups.layerUnlinked(name, digest.get());
        }
      }
    }
  }

  private boolean deleteManifest(RepositoryName name, Digest revision) {
    if (!options.deleteUntagged()) {
      return false;
    }
    LOG.atInfo()
        .setMessage(options.dryRun() ? "manifest would be deleted" : "manifest deleted")
        .addKeyValue("repository", name)
        .addKeyValue("digest", revision)
        .addKeyValue("reason", "no tag leads to it")
        .log();
    if (!options.dryRun()) {
      String link = RegistryPaths.manifestRevisionLink(name, revision);
      read(name, revision)
          .flatMap(ManifestReferences::subject)
          .ifPresent(
              s ->
                  driver.deleteIfExists(
                      RegistryPaths.parent(RegistryPaths.referrerLink(name, s, revision))));
      for (Tag tag : TagService.listTags(driver, name)) {
        driver.deleteIfExists(
            RegistryPaths.parent(RegistryPaths.tagIndexLink(name, tag, revision)));
      }
      driver.deleteIfExists(RegistryPaths.parent(link));
      lookups.revisionDeleted(name, revision);
    }
    return true;
  }

  private List<RepositoryName> repositories() {
    return catalog.list(Optional.empty(), Integer.MAX_VALUE).items();
  }

  /** The digests of the repository's manifest revisions: the directories that hold a link. */
  private Set<Digest> revisions(RepositoryName name) {
    Set<Digest> revisions = new HashSet<>();
    for (String algorithm : children(RegistryPaths.manifestRevisions(name))) {
      for (String hex : children(RegistryPaths.manifestRevisions(name) + "/" + algorithm)) {
        // registry:2 deletes a manifest by deleting its link file only, leaving the directory.
        digest(algorithm, hex)
            .filter(d -> links.exists(RegistryPaths.manifestRevisionLink(name, d)))
            .ifPresent(revisions::add);
      }
    }
    return revisions;
  }

  /** The digests the repository's tags point at now. */
  private Set<Digest> tagged(RepositoryName name) {
    Set<Digest> tagged = new HashSet<>();
    for (Tag tag : TagService.listTags(driver, name)) {
      readLink(RegistryPaths.tagCurrentLink(name, tag)).ifPresent(tagged::add);
    }
    return tagged;
  }

  private Optional<ManifestReferences> read(RepositoryName name, Digest revision) {
    try {
      return Optional.of(
          ManifestReferences.of(driver.getContent(RegistryPaths.blobData(revision))));
    } catch (PathNotFoundException missing) {
      LOG.atWarn()
          .setMessage("failed to read a manifest revision: its content is missing; it is kept")
          .addKeyValue("repository", name)
          .addKeyValue("digest", revision)
          .log();
      return Optional.empty();
    }
  }

  private Optional<Digest> readLink(String path) {
    try {
      return links.read(path);
    } catch (CorruptStorageException corrupt) {
      LOG.atWarn().setMessage("failed to read a link; ignored").addKeyValue("path", path).log();
      return Optional.empty();
    }
  }

  private boolean isYoung(String path, Instant youngAfter) {
    try {
      return driver.stat(path).modified().isAfter(youngAfter);
    } catch (PathNotFoundException gone) {
      return false;
    }
  }

  /** The digest of {@code .../blobs/<algorithm>/<xx>/<hex>/data}, if the path has that shape. */
  private static Optional<Digest> blobDigest(String dataPath) {
    List<String> parts =
        List.of(dataPath.substring(RegistryPaths.blobsRoot().length() + 1).split("/", -1));
    if (parts.size() != 4 || !parts.get(2).startsWith(parts.get(1))) {
      return Optional.empty();
    }
    return digest(parts.get(0), parts.get(2));
  }

  /** The digest a directory name stands for; empty for one registry:2 would not have written. */
  private static Optional<Digest> digest(String algorithm, String hex) {
    try {
      return Optional.of(new Digest(algorithm, hex));
    } catch (RegistryException notADigest) {
      return Optional.empty();
    }
  }

  private List<String> children(String directory) {
    try {
      return driver.list(directory).stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
    } catch (PathNotFoundException none) {
      return List.of();
    }
  }

  private void progress(String phase, int done, int total) {
    Instant now = clock.instant();
    if (done == total || now.isBefore(nextProgress)) {
      return;
    }
    nextProgress = now.plus(PROGRESS_INTERVAL);
    LOG.atInfo()
        .setMessage("garbage collection progress")
        .addKeyValue("phase", phase)
        .addKeyValue("done", done)
        .addKeyValue("total", total)
        .log();
  }
}
