/* STUB: qtest client library (helper-owned; to be replaced). */
