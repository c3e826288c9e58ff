"""The school calendar: a school's instructional weekdays and day rotation, the days off of the district and of
each school, and a section's meeting pattern (docs/decisions/0012-school-calendar.md).

Revision ID: 5e8a1c7d9b24
Revises: c3d4e5f6a7b8
Create Date: 2026-12-01 20:30
"""

from alembic import op

revision = "5e8a1c7d9b24"
down_revision = "c3d4e5f6a7b8"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"


def upgrade() -> None:
    op.execute(
        """
        -- ISO weekdays (1 Monday .. 7 Sunday) on which the school holds classes, and its day rotation:
        -- none, A/B, or a block rotation of rotation_days numbered days.
        alter table schools
          add column instructional_weekdays smallint[] not null default '{1,2,3,4,5}',
          add column rotation varchar(10) not null default 'none',
          add column rotation_days smallint,
          add constraint ck_schools_instructional_weekdays check (
            cardinality(instructional_weekdays) between 1 and 7
            and instructional_weekdays <@ '{1,2,3,4,5,6,7}'::smallint[]
          ),
          add constraint ck_schools_rotation check (
            (rotation = 'none' and rotation_days is null)
            or (rotation = 'ab' and rotation_days is null)
            or (rotation = 'blocks' and rotation_days between 2 and 10)
          );

        -- A holiday, break, professional-development day or closure, one day or a range. No school: the whole
        -- district; a school's own entries add to the district's.
        create table days_off (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          school_id bigint,
          starts_on date not null,
          ends_on date not null,
          kind varchar(30) not null
            check (kind in ('holiday', 'break', 'professional_development', 'weather', 'other')),
          name varchar(120) not null,
          created_at timestamptz not null default now(),
          check (ends_on >= starts_on),
          foreign key (district_id, school_id) references schools(district_id, id) on delete cascade,
          unique (district_id, id)
        );
        create index ix_days_off_district_dates on days_off (district_id, starts_on, ends_on);
        create index ix_days_off_district_school on days_off (district_id, school_id);

        -- When a section meets: every instructional day of its school, certain rotation days (1 = A, 2 = B, or
        -- block numbers), or certain ISO weekdays.
        alter table sections
          add column meeting_pattern varchar(10) not null default 'daily',
          add column meeting_days smallint[],
          add constraint ck_sections_meeting_pattern check (
            (meeting_pattern = 'daily' and meeting_days is null)
            or (meeting_pattern in ('rotation', 'weekdays') and cardinality(meeting_days) between 1 and 10
                and meeting_days <@ '{1,2,3,4,5,6,7,8,9,10}'::smallint[])
          );
        """
    )
    op.execute("alter table days_off enable row level security")
    op.execute("alter table days_off force row level security")
    op.execute(
        f"create policy days_off_district on days_off using (district_id = {TENANT}) with check (district_id = {TENANT})"
    )
    op.execute(f"grant select, insert, update, delete on days_off to {APP_ROLE}")
    op.execute(f"grant usage, select on sequence days_off_id_seq to {APP_ROLE}")


def downgrade() -> None:
    op.execute(
        """
        alter table sections drop constraint ck_sections_meeting_pattern, drop column meeting_days,
          drop column meeting_pattern;
        drop table if exists days_off;
        alter table schools drop constraint ck_schools_rotation, drop constraint ck_schools_instructional_weekdays,
          drop column rotation_days, drop column rotation, drop column instructional_weekdays;
        """
    )
