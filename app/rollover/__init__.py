"""Year rollover: carry courses into the new year, archive the old year's sections, end its enrollments,
promote students a grade, make the new year current; previewed, applied as a job, revertible until confirmed."""
