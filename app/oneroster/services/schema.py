"""The OneRoster CSV files Chalkline reads and writes: their columns in 1.1 and 1.2, what is required, the
enumerations, and the header spellings real exporters use.
"""

from __future__ import annotations

VERSIONS = ("1.1", "1.2")
# The files Chalkline reads, in the order the plan is built: every later file points at earlier ones.
READ = (
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "demographics",
    "users",
    "userProfiles",
    "roles",
    "enrollments",
)
# Every file a manifest may list (1.2's set includes 1.1's); the ones not in READ are gradebook and resources.
MANIFEST_FILES = {
    "1.1": (
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
        "demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users",
    ),
    "1.2": (
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
        "demographics", "enrollments", "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs",
        "resources", "resultLearningObjectiveIds", "results", "resultScoreScales", "roles", "scoreScales",
        "userProfiles", "userResources", "users",
    ),
}  # fmt: skip
_COMMON = "sourcedId,status,dateLastModified,"
HEADERS = {
    "1.1": {
        "orgs": _COMMON + "name,type,identifier,parentSourcedId",
        "academicSessions": _COMMON + "title,type,startDate,endDate,parentSourcedId,schoolYear",
        "courses": _COMMON + "schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
        "classes": _COMMON + "title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,"
        "termSourcedIds,subjects,subjectCodes,periods",
        "users": _COMMON + "enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,"
        "identifier,email,sms,phone,agentSourcedIds,grades,password",
        "enrollments": _COMMON + "classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
        "demographics": _COMMON + "birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,"
        "nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,"
        "countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus",
    },
}
HEADERS["1.2"] = HEADERS["1.1"] | {
    "users": _COMMON + "enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
    "agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,"
    "preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns",
    "roles": _COMMON + "userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId",
    "userProfiles": _COMMON + "userSourcedId,profileType,vendorId,applicationId,description,credentialType,"
    "username,password",
}
# Columns a reader recognises per file: both versions' (a 1.1 users.csv may carry 1.2's preferred names, a
# 1.2 one the older role and orgSourcedIds).
KNOWN = {
    file: tuple(c for c in dict.fromkeys((HEADERS["1.1"].get(file, "") + "," + HEADERS["1.2"][file]).split(",")) if c)
    for file in HEADERS["1.2"]
}
REQUIRED = {
    "orgs": ("sourcedId", "name", "type"),
    "academicSessions": ("sourcedId", "title", "type", "startDate", "endDate"),
    "courses": ("sourcedId", "title", "orgSourcedId"),
    "classes": ("sourcedId", "title", "courseSourcedId", "schoolSourcedId", "termSourcedIds"),
    "users": ("sourcedId", "givenName", "familyName"),
    "enrollments": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
    "demographics": ("sourcedId",),
    "roles": ("sourcedId", "userSourcedId", "role", "orgSourcedId"),
    "userProfiles": ("sourcedId", "userSourcedId"),
}
# A 1.1 users.csv carries each person's role and orgs itself (1.2 moved them to roles.csv).
REQUIRED_11_USERS = ("orgSourcedIds", "role")
DATE_FIELDS = {
    "academicSessions": ("startDate", "endDate"),
    "enrollments": ("beginDate", "endDate"),
    "demographics": ("birthDate",),
    "roles": ("beginDate", "endDate"),
}
BOOLEANS = {"users": ("enabledUser",), "enrollments": ("primary",)}
ORG_TYPES = ("department", "district", "local", "national", "school", "state")
SESSION_TYPES = ("gradingPeriod", "schoolYear", "semester", "term")
ROLE_TYPES = ("primary", "secondary")
# Every role 1.1 and 1.2 define for users (roles.csv, or users.csv in 1.1), and what each is in Chalkline:
# a role name, or "admin" (district admin at the district org, school admin at a school) or None (no role).
ROLES = {
    "student": "student",
    "teacher": "teacher",
    "aide": "teacher",
    "proctor": "teacher",
    "guardian": "guardian",
    "parent": "guardian",
    "relative": "guardian",
    "administrator": "admin",
    "systemAdministrator": "admin",
    "districtAdministrator": "district_admin",
    "siteAdministrator": "school_admin",
    "principal": "school_admin",
    "counselor": None,
}
GUARDIAN_ROLES = ("guardian", "parent", "relative")
TEACHING_ROLES = ("teacher", "aide", "proctor")
ENROLLMENT_ROLES = ("administrator", "aide", "proctor", "student", "teacher", "guardian", "parent", "relative")
STATUSES = ("active", "tobedeleted")
# What 1.0-era exports and several SIS still write for a record that is switched off.
OLD_STATUSES = ("inactive",)
# Header spellings seen in exporters' files and documentation, beyond letter case (which is always accepted).
ALIASES = {
    "dateModified": "dateLastModified",
    "dataLastModified": "dateLastModified",
    "sourceId": "sourcedId",
    "sourcedID": "sourcedId",
    "agentSourceIds": "agentSourcedIds",
    "prefferedGivenName": "preferredGivenName",
    "prefferedFamilyName": "preferredFamilyName",
    "prefferedMiddleName": "preferredMiddleName",
    "preferredFirstName": "preferredGivenName",
    "preferredLastName": "preferredFamilyName",
}
