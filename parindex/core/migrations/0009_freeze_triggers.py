"""PostgreSQL triggers: what the application never changes, the database refuses to change.

- audit rows (core_auditentry) are never updated or deleted;
- a published result set is never updated or deleted, except that a correction retires it
  (is_current true → false); the unit and area rows of a published result set are never
  updated or deleted (inserting them is how a set is written);
- the rules of published results (parindex/core/rules_freeze.py) are never updated or deleted:
  the scale, caps and tree of a criteria set a published group uses, the grade bands and the
  row (criteria set, ranking, stage) of a published group, the tie rule of a period with a
  published group.

Inserts are allowed: restoring a backup (``loaddata`` into an empty database) inserts published
rows, and the application refuses new bands for a published group itself. ``flush`` and the
test runner empty tables with TRUNCATE, which fires none of these row or statement triggers.
On SQLite nothing is created (the application-level guards still hold).
"""

from django.db import migrations

REFUSED = "restrict_violation"  # SQLSTATE 23001: Django raises IntegrityError

FORWARD = f"""
CREATE FUNCTION parindex_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = '{REFUSED}',
        DETAIL = TG_TABLE_NAME || ' ' || TG_OP;
END $$;

CREATE TRIGGER parindex_audit_immutable BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION parindex_refuse('Nhật ký không sửa, không xóa được.');

CREATE TRIGGER parindex_published_result_set_update BEFORE UPDATE ON core_resultset
    FOR EACH ROW WHEN (OLD.published AND (
        (to_jsonb(NEW) - 'is_current') IS DISTINCT FROM (to_jsonb(OLD) - 'is_current')
        OR (NEW.is_current AND NOT OLD.is_current)))
    EXECUTE FUNCTION parindex_refuse(
        'Kết quả đã công bố không sửa được; chỉ đính chính bằng quyết định (phiên bản mới).');
CREATE TRIGGER parindex_published_result_set_delete BEFORE DELETE ON core_resultset
    FOR EACH ROW WHEN (OLD.published)
    EXECUTE FUNCTION parindex_refuse('Kết quả đã công bố không xóa được.');

CREATE FUNCTION parindex_published_unit_results() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN core_resultset r ON r.id = o.result_set_id
               WHERE r.published) THEN
        RAISE EXCEPTION 'Kết quả đơn vị đã công bố không sửa, không xóa được.'
            USING ERRCODE = '{REFUSED}';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF EXISTS (SELECT 1 FROM new_rows n JOIN core_resultset r ON r.id = n.result_set_id
                   WHERE r.published) THEN
            RAISE EXCEPTION 'Không chuyển kết quả đơn vị vào bộ kết quả đã công bố.'
                USING ERRCODE = '{REFUSED}';
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parindex_published_unit_results_update AFTER UPDATE ON core_unitresult
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parindex_published_unit_results();
CREATE TRIGGER parindex_published_unit_results_delete AFTER DELETE ON core_unitresult
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parindex_published_unit_results();

CREATE FUNCTION parindex_published_area_results() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN core_unitresult u ON u.id = o.unit_result_id
               JOIN core_resultset r ON r.id = u.result_set_id WHERE r.published) THEN
        RAISE EXCEPTION 'Kết quả theo lĩnh vực đã công bố không sửa, không xóa được.'
            USING ERRCODE = '{REFUSED}';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF EXISTS (SELECT 1 FROM new_rows n JOIN core_unitresult u ON u.id = n.unit_result_id
                   JOIN core_resultset r ON r.id = u.result_set_id WHERE r.published) THEN
            RAISE EXCEPTION 'Không chuyển kết quả theo lĩnh vực vào bộ kết quả đã công bố.'
                USING ERRCODE = '{REFUSED}';
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER parindex_published_area_results_update AFTER UPDATE ON core_arearesult
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parindex_published_area_results();
CREATE TRIGGER parindex_published_area_results_delete AFTER DELETE ON core_arearesult
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION parindex_published_area_results();

CREATE FUNCTION parindex_frozen_criteria() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    set_ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'core_criteriaset' THEN
        set_ids := ARRAY[OLD.id];
    ELSIF TG_OP = 'UPDATE' THEN
        set_ids := ARRAY[OLD.criteria_set_id, NEW.criteria_set_id];
    ELSE
        set_ids := ARRAY[OLD.criteria_set_id];
    END IF;
    IF EXISTS (SELECT 1 FROM core_periodgroup g
               WHERE g.criteria_set_id = ANY (set_ids) AND g.stage = 'published') THEN
        RAISE EXCEPTION 'Bộ tiêu chí đã dùng cho kết quả đã công bố: quy tắc đã khóa.'
            USING ERRCODE = '{REFUSED}', DETAIL = TG_TABLE_NAME || ' ' || TG_OP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER parindex_frozen_criteria_set_update BEFORE UPDATE ON core_criteriaset
    FOR EACH ROW WHEN (
        (OLD.scale, OLD.bonus_cap, OLD.deduction_cap, OLD.allow_over_max)
        IS DISTINCT FROM (NEW.scale, NEW.bonus_cap, NEW.deduction_cap, NEW.allow_over_max))
    EXECUTE FUNCTION parindex_frozen_criteria();
CREATE TRIGGER parindex_frozen_criteria_set_delete BEFORE DELETE ON core_criteriaset
    FOR EACH ROW EXECUTE FUNCTION parindex_frozen_criteria();
CREATE TRIGGER parindex_frozen_criterion_update BEFORE UPDATE ON core_criterion
    FOR EACH ROW WHEN (
        (OLD.criteria_set_id, OLD.parent_id, OLD.area_id, OLD.max_points, OLD.method,
         OLD.options)
        IS DISTINCT FROM (NEW.criteria_set_id, NEW.parent_id, NEW.area_id, NEW.max_points,
                          NEW.method, NEW.options))
    EXECUTE FUNCTION parindex_frozen_criteria();
CREATE TRIGGER parindex_frozen_criterion_delete BEFORE DELETE ON core_criterion
    FOR EACH ROW EXECUTE FUNCTION parindex_frozen_criteria();

CREATE FUNCTION parindex_frozen_grade_band() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved_to bigint[] := ARRAY[NULL, NULL]::bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        moved_to := ARRAY[NEW.period_id, NEW.group_id];
    END IF;
    IF EXISTS (SELECT 1 FROM core_periodgroup g WHERE g.stage = 'published'
               AND ((g.period_id = OLD.period_id AND g.group_id = OLD.group_id)
                    OR (g.period_id = moved_to[1] AND g.group_id = moved_to[2]))) THEN
        RAISE EXCEPTION 'Khối đã công bố kết quả: các mức xếp loại đã khóa.'
            USING ERRCODE = '{REFUSED}';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER parindex_frozen_grade_band_update BEFORE UPDATE ON core_gradeband
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION parindex_frozen_grade_band();
CREATE TRIGGER parindex_frozen_grade_band_delete BEFORE DELETE ON core_gradeband
    FOR EACH ROW EXECUTE FUNCTION parindex_frozen_grade_band();

CREATE TRIGGER parindex_frozen_period_group_update BEFORE UPDATE ON core_periodgroup
    FOR EACH ROW WHEN (OLD.stage = 'published' AND OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION parindex_refuse(
        'Khối đã công bố kết quả: bộ tiêu chí, việc xếp hạng và giai đoạn đã khóa.');
CREATE TRIGGER parindex_frozen_period_group_delete BEFORE DELETE ON core_periodgroup
    FOR EACH ROW WHEN (OLD.stage = 'published')
    EXECUTE FUNCTION parindex_refuse('Khối đã công bố kết quả không xóa được.');

CREATE FUNCTION parindex_frozen_tie_rule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM core_periodgroup g
               WHERE g.period_id = OLD.id AND g.stage = 'published') THEN
        RAISE EXCEPTION 'Kỳ đánh giá đã có khối công bố: quy tắc xếp hạng khi bằng điểm đã khóa.'
            USING ERRCODE = '{REFUSED}';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER parindex_frozen_tie_rule BEFORE UPDATE ON core_period
    FOR EACH ROW WHEN (OLD.tie_rule IS DISTINCT FROM NEW.tie_rule)
    EXECUTE FUNCTION parindex_frozen_tie_rule();
"""

TRIGGERS = {
    "core_auditentry": ["parindex_audit_immutable"],
    "core_resultset": [
        "parindex_published_result_set_update",
        "parindex_published_result_set_delete",
    ],
    "core_unitresult": [
        "parindex_published_unit_results_update",
        "parindex_published_unit_results_delete",
    ],
    "core_arearesult": [
        "parindex_published_area_results_update",
        "parindex_published_area_results_delete",
    ],
    "core_criteriaset": [
        "parindex_frozen_criteria_set_update",
        "parindex_frozen_criteria_set_delete",
    ],
    "core_criterion": ["parindex_frozen_criterion_update", "parindex_frozen_criterion_delete"],
    "core_gradeband": ["parindex_frozen_grade_band_update", "parindex_frozen_grade_band_delete"],
    "core_periodgroup": [
        "parindex_frozen_period_group_update",
        "parindex_frozen_period_group_delete",
    ],
    "core_period": ["parindex_frozen_tie_rule"],
}
FUNCTIONS = [
    "parindex_refuse",
    "parindex_published_unit_results",
    "parindex_published_area_results",
    "parindex_frozen_criteria",
    "parindex_frozen_grade_band",
    "parindex_frozen_tie_rule",
]
BACKWARD = "".join(
    f"DROP TRIGGER IF EXISTS {name} ON {table};\n"
    for table, names in TRIGGERS.items()
    for name in names
) + "".join(f"DROP FUNCTION IF EXISTS {name}();\n" for name in FUNCTIONS)


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # No parameters: the % of RAISE must reach PostgreSQL as it is.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0008_fill_result_names")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
