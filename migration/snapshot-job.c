/*
 * QMP's snapshot jobs as QEMU 7.2 runs them: snapshot-save, snapshot-load
 * and snapshot-delete create a job (JOB_STATUS_CHANGE created, running)
 * that does its work after the reply (then waiting, pending, concluded; or
 * aborting, concluded with an error) and stays, concluded, in query-jobs
 * until job-dismiss.
 */
#include "migration/snapshot.h"
#include "qapi/qapi-commands.h"
#include "sysemu/runstate.h"

typedef enum SnapJobKind {
    SNAP_JOB_SAVE,
    SNAP_JOB_LOAD,
    SNAP_JOB_DELETE,
} SnapJobKind;

static const char *const job_types[] = {
    [SNAP_JOB_SAVE] = "snapshot-save",
    [SNAP_JOB_LOAD] = "snapshot-load",
    [SNAP_JOB_DELETE] = "snapshot-delete",
};

typedef struct SnapJob {
    char *id;
    SnapJobKind kind;
    char *tag, *vmstate;
    char **devices;
    const char *status;
    bool done;
    char *error;
} SnapJob;

/* Newest first, as query-jobs lists them. */
static GList *jobs;
static GQueue pending = G_QUEUE_INIT;

static void job_set_status(SnapJob *job, const char *status)
{
    g_autofree char *data = NULL;
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = NULL;

    job->status = status;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, status);
    json_builder_set_member_name(b, "id");
    json_builder_add_string_value(b, job->id);
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    data = json_generator_to_data(gen, NULL);
    runstate_emit_event("JOB_STATUS_CHANGE", data);
}

static void job_free(SnapJob *job)
{
    g_free(job->id);
    g_free(job->tag);
    g_free(job->vmstate);
    g_strfreev(job->devices);
    g_free(job->error);
    g_free(job);
}

static SnapJob *job_find(const char *id)
{
    for (GList *l = jobs; l; l = l->next) {
        SnapJob *job = l->data;

        if (!strcmp(job->id, id)) {
            return job;
        }
    }
    return NULL;
}

/* After the reply: the work, then the job concludes. */
static void jobs_run(void)
{
    SnapJob *job;

    while ((job = g_queue_pop_head(&pending))) {
        const char *const *devices = (const char *const *)job->devices;
        Error *err = NULL;
        bool ok = false;

        switch (job->kind) {
        case SNAP_JOB_SAVE:
            ok = snapshot_save(job->tag, false, job->vmstate, devices, &err);
            break;
        case SNAP_JOB_LOAD: {
            bool was_running = runstate_is_running();

            if (was_running) {
                vm_stop(RUN_STATE_PAUSED);
            }
            ok = snapshot_load(job->tag, job->vmstate, devices, &err);
            if (ok && was_running) {
                vm_start();
            }
            break;
        }
        case SNAP_JOB_DELETE:
            ok = snapshot_delete(job->tag, devices, &err);
            break;
        }
        if (ok) {
            job_set_status(job, "waiting");
            job_set_status(job, "pending");
        } else {
            job->error = g_strdup(error_get_pretty(err));
            error_free(err);
            job_set_status(job, "aborting");
        }
        job->done = true;
        job_set_status(job, "concluded");
    }
}

static JsonNode *job_start(JsonObject *args, SnapJobKind kind, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "job-id");
    JsonArray *devs = json_object_get_array_member(args, "devices");
    SnapJob *job;

    if (job_find(id)) {
        qmp_error_setg(err, "Job ID '%s' already in use", id);
        return NULL;
    }
    job = g_new0(SnapJob, 1);
    job->id = g_strdup(id);
    job->kind = kind;
    job->tag = g_strdup(json_object_get_string_member(args, "tag"));
    if (json_object_has_member(args, "vmstate")) {
        job->vmstate = g_strdup(json_object_get_string_member(args, "vmstate"));
    }
    job->devices = g_new0(char *, json_array_get_length(devs) + 1);
    for (guint i = 0; i < json_array_get_length(devs); i++) {
        job->devices[i] = g_strdup(json_array_get_string_element(devs, i));
    }
    jobs = g_list_prepend(jobs, job);
    job_set_status(job, "created");
    job_set_status(job, "running");
    g_queue_push_tail(&pending, job);
    qmp_after_reply(jobs_run);
    return qmp_return_empty();
}

JsonNode *qmp_snapshot_save(JsonObject *args, QmpError *err)
{
    return job_start(args, SNAP_JOB_SAVE, err);
}

JsonNode *qmp_snapshot_load(JsonObject *args, QmpError *err)
{
    return job_start(args, SNAP_JOB_LOAD, err);
}

JsonNode *qmp_snapshot_delete(JsonObject *args, QmpError *err)
{
    return job_start(args, SNAP_JOB_DELETE, err);
}

JsonNode *qmp_query_jobs(JsonObject *args, QmpError *err)
{
    JsonArray *arr = json_array_new();

    for (GList *l = jobs; l; l = l->next) {
        SnapJob *job = l->data;
        JsonObject *o = json_object_new();

        json_object_set_int_member(o, "current-progress", job->done);
        json_object_set_string_member(o, "status", job->status);
        json_object_set_int_member(o, "total-progress", 1);
        json_object_set_string_member(o, "type", job_types[job->kind]);
        json_object_set_string_member(o, "id", job->id);
        if (job->error) {
            json_object_set_string_member(o, "error", job->error);
        }
        json_array_add_object_element(arr, o);
    }
    return qmp_node_array(arr);
}

JsonNode *qmp_job_dismiss(JsonObject *args, QmpError *err)
{
    const char *id = json_object_get_string_member(args, "id");
    SnapJob *job = job_find(id);

    if (!job) {
        qmp_error_setg(err, "Job not found");
        return NULL;
    }
    if (!job->done) {
        qmp_error_setg(err, "Job '%s' in state '%s' cannot accept command verb 'dismiss'", id,
                       job->status);
        return NULL;
    }
    jobs = g_list_remove(jobs, job);
    job_set_status(job, "null");
    job_free(job);
    return qmp_return_empty();
}
