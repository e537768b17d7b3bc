"""Every figure in section 1 of the documents' digest (DIGEST.md) that the documents give as a number is held as a
value: with its period as the document says it, its source document and its qualifier ("about 180,601").

FIGURES walks section 1 row by row (rows 1 to 100, the plan's targets of 1n and the transport KPIs of 1o); the
cross-document series of 1p are checked in their order. Where the digest and a document differ, the figure is as
the document gives it: row 41's "about 11%" and row 72's "about 220" are "approximately" in the documents, and the
totals the digest adds up in rows 9 and 11 (612 and 99 places) are the digest's sums, which no document gives.
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from kpis.exports import plain_decimal
from kpis.models import Comparator, Indicator, Qualifier, Return
from kpis.seed.loader import SEED_FILE

SEEDS = Path("/work/shared/seeds")
DOCUMENTS = {
    "000": "000_d50ea2fd0cf008ce.txt",
    "001": "001_87597c0784a12c9a.txt",
    "002": "002_df2c46bf65b2d74b.txt",
    "003": "003_2bc801761036d050.txt",
    "004": "004_335635f5cfaa5d73.txt",
}


class Figure(NamedTuple):
    row: (
        int | str
    )  # the digest's row number in section 1, or "1n" and "1o" for its lists of targets and transport KPIs
    indicator: str
    breakdown: str  # the group of the cohort; "" for the headline figure
    period: str  # the period as the document says it; "target" for the indicator's target
    value: str
    qualifier: str
    document: str  # the first three characters of the source document's file name
    series: str  # "local" for a return; a comparator's geography; or "target"


# One line per figure, so that the list reads as the digest does.
# fmt: off
FIGURES = [
    Figure(1, "POPULATION", "", "Not dated (SEF dated 10 October 2024)", "180601", "about", "000", "local"),
    Figure(1, "POPULATION_PROFILE_PCT", "Female", "Not dated (SEF dated 10 October 2024)", "51", "", "000", "local"),
    Figure(1, "POPULATION_PROFILE_PCT", "Male", "Not dated (SEF dated 10 October 2024)", "49", "", "000", "local"),
    Figure(1, "POPULATION_PROFILE_PCT", "Under the age of 17", "Not dated (SEF dated 10 October 2024)", "21", "", "000", "local"),
    Figure(1, "POPULATION_PROFILE_PCT", "Over the age of 67", "Not dated (SEF dated 10 October 2024)", "17", "", "000", "local"),
    Figure(2, "POPULATION_CCG_ESTIMATE", "", "Not dated (Safeguarding Partnership annual report 2021/22)", "182773", "", "003", "local"),
    Figure(2, "CHILD_POPULATION", "Aged 0 to 4", "Not dated (Safeguarding Partnership annual report 2021/22)", "10781", "", "003", "local"),
    Figure(2, "CHILD_POPULATION", "Aged 5 to 17", "Not dated (Safeguarding Partnership annual report 2021/22)", "28955", "", "003", "local"),
    Figure(2, "POPULATION_PROJECTED_2031", "", "Not dated (Safeguarding Partnership annual report 2021/22)", "195875", "", "003", "local"),
    Figure(2, "POPULATION_GROWTH_PROJECTED_PCT", "", "Not dated (Safeguarding Partnership annual report 2021/22)", "5.27", "", "003", "local"),
    Figure(2, "POPULATION_GROWTH_PROJECTED_PCT", "", "Not dated (Safeguarding Partnership annual report 2021/22)", "4.21", "", "003", "england"),
    Figure(3, "PUPIL_ETHNICITY_PCT", "White", "January schools census 2024", "70.5", "", "000", "local"),
    Figure(3, "PUPIL_ETHNICITY_PCT", "Asian or British Asian", "January schools census 2024", "11.2", "", "000", "local"),
    Figure(3, "PUPIL_ETHNICITY_PCT", "Mixed or dual heritage", "January schools census 2024", "7.5", "", "000", "local"),
    Figure(3, "PUPIL_ETHNICITY_PCT", "Black or Black British", "January schools census 2024", "7.9", "", "000", "local"),
    Figure(4, "DEPRIVATION_AREAS", "Among the 10% most deprived in England", "Not dated (SEF dated 10 October 2024)", "9", "", "000", "local"),
    Figure(4, "DEPRIVATION_AREAS", "Among the 10% least deprived in England", "Not dated (SEF dated 10 October 2024)", "13", "", "000", "local"),
    Figure(4, "DEPRIVATION_AREAS", "Among the 10% most deprived in England", "Not dated (Safeguarding Partnership annual report 2021/22)", "9", "", "003", "local"),
    Figure(4, "DEPRIVATION_AREAS", "Among the 10% least deprived in England", "Not dated (Safeguarding Partnership annual report 2021/22)", "13", "", "003", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Childminders", "SEF dated 10 October 2024", "105", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "School-based nurseries", "SEF dated 10 October 2024", "16", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Day nurseries", "SEF dated 10 October 2024", "26", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Preschools", "SEF dated 10 October 2024", "23", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Infant and primary schools", "SEF dated 10 October 2024", "33", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Secondary schools", "SEF dated 10 October 2024", "12", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Selective secondary schools", "SEF dated 10 October 2024", "4", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Independent schools", "SEF dated 10 October 2024", "4", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Special schools", "SEF dated 10 October 2024", "5", "", "000", "local"),
    Figure(5, "EDUCATION_SETTINGS", "Registered alternative provision providers", "SEF dated 10 October 2024", "2", "", "000", "local"),
    Figure(6, "EDUCATION_SETTINGS", "Mainstream schools (infant to secondary)", "November 2022 (SEND Strategy 2022-2025)", "45", "", "003", "local"),
    Figure(6, "EDUCATION_SETTINGS", "Independent schools", "November 2022 (SEND Strategy 2022-2025)", "3", "", "003", "local"),
    Figure(6, "EDUCATION_SETTINGS", "Special schools", "November 2022 (SEND Strategy 2022-2025)", "5", "", "003", "local"),
    Figure(7, "OFSTED_GOOD_OUTSTANDING_LA_MAINTAINED_PCT", "", "As of April 2024", "100", "", "000", "local"),
    Figure(7, "OFSTED_GOOD_OUTSTANDING_PRIMARY_PCT", "", "As of April 2024", "97", "", "000", "local"),
    Figure(7, "OFSTED_GOOD_OUTSTANDING_SECONDARY_PCT", "", "As of April 2024", "92", "", "000", "local"),
    Figure(7, "OFSTED_GOOD_OUTSTANDING_SPECIAL_PCT", "", "As of April 2024", "100", "", "000", "local"),
    Figure(7, "OFSTED_GOOD_OUTSTANDING_EARLY_YEARS_PCT", "", "As of April 2024", "99.3", "", "000", "local"),
    Figure(8, "OFSTED_GOOD_OUTSTANDING_LA_MAINTAINED_PCT", "", "As of August 2022", "100", "", "003", "local"),
    Figure(8, "OFSTED_GOOD_OUTSTANDING_PRIMARY_PCT", "", "As of August 2022", "94", "", "003", "local"),
    Figure(8, "OFSTED_GOOD_OUTSTANDING_SECONDARY_PCT", "", "As of August 2022", "83", "", "003", "local"),
    Figure(8, "OFSTED_GOOD_OUTSTANDING_SPECIAL_PCT", "", "As of August 2022", "80", "", "003", "local"),
    Figure(9, "SPECIAL_SCHOOL_PLACES", "Kingsdown School", "November 2022 (SEND Strategy 2022-2025)", "120", "", "003", "local"),
    Figure(9, "SPECIAL_SCHOOL_PLACES", "Lancaster School", "November 2022 (SEND Strategy 2022-2025)", "100", "", "003", "local"),
    Figure(9, "SPECIAL_SCHOOL_PLACES", "St Nicholas School", "November 2022 (SEND Strategy 2022-2025)", "92", "", "003", "local"),
    Figure(9, "SPECIAL_SCHOOL_PLACES", "Sutton House Academy", "November 2022 (SEND Strategy 2022-2025)", "65", "", "003", "local"),
    Figure(9, "SPECIAL_SCHOOL_PLACES", "St Christopher School", "November 2022 (SEND Strategy 2022-2025)", "235", "", "003", "local"),
    Figure(10, "AP_PLACES", "Victory Park Academy", "November 2022 (SEND Strategy 2022-2025)", "85", "", "003", "local"),
    Figure(10, "AP_PLACES", "Southend YMCA Community School", "November 2022 (SEND Strategy 2022-2025)", "50", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Hamstel Infant School", "November 2022 (SEND Strategy 2022-2025)", "3", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Temple Sutton Primary School", "November 2022 (SEND Strategy 2022-2025)", "12", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Blenheim Primary School", "November 2022 (SEND Strategy 2022-2025)", "12", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Greenways Primary School", "November 2022 (SEND Strategy 2022-2025)", "12", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Southend High School for Boys", "November 2022 (SEND Strategy 2022-2025)", "15", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Fairways Primary School", "November 2022 (SEND Strategy 2022-2025)", "15", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Chase High School", "November 2022 (SEND Strategy 2022-2025)", "12", "", "003", "local"),
    Figure(11, "RESOURCE_BASE_PLACES", "Shoeburyness High School", "November 2022 (SEND Strategy 2022-2025)", "18", "", "003", "local"),
    Figure(12, "SPECIAL_SCHOOL_PUPILS", "", "April 2021 self-evaluation (period not stated)", "595", "", "002", "local"),
    Figure(13, "SEN_SUPPORT_PUPILS", "", "April 2021 self-evaluation (SEND Profile 'current data'; date not stated)", "2663", "", "002", "local"),
    Figure(14, "SEN_SUPPORT_PCT", "", "January 2022 schools census", "9.25", "", "003", "local"),
    Figure(14, "SEN_SUPPORT_PUPILS", "", "January 2022 schools census", "2966", "", "003", "local"),
    Figure(14, "SEN_SUPPORT_PCT", "", "January 2022 schools census", "12.55", "", "003", "england"),
    Figure(15, "SEN_SUPPORT_PCT", "", "2024 school census", "11.58", "", "000", "local"),
    Figure(15, "SEN_SUPPORT_PCT", "", "2024 school census", "13.63", "", "000", "england"),
    Figure(16, "SEN_ALL_PCT", "", "2016", "11.5", "", "002", "local"),
    Figure(16, "SEN_ALL_PCT", "", "2021", "12.4", "", "002", "local"),
    Figure(16, "SEN_ALL_PCT", "", "2016", "14.4", "", "002", "england"),
    Figure(16, "SEN_ALL_PCT", "", "2020", "15.5", "", "002", "england"),
    Figure(17, "SEN_SUPPORT_MALE_PCT", "", "January 2022 schools census", "63", "", "003", "local"),
    Figure(17, "SEN_SUPPORT_MALE_PCT", "", "2024 school census", "61.9", "", "000", "local"),
    Figure(17, "SEN_SUPPORT_MALE_PCT", "", "2024 school census", "61.97", "", "000", "england"),
    Figure(18, "SEN_SUPPORT_FSM_PCT", "", "January 2022 schools census", "40.8", "", "003", "local"),
    Figure(18, "SEN_SUPPORT_FSM_PCT", "", "2024 school census", "43.2", "", "000", "local"),
    Figure(18, "SEN_SUPPORT_FSM_PCT", "", "January 2022 schools census", "36.4", "", "003", "england"),
    Figure(18, "SEN_SUPPORT_FSM_PCT", "", "2024 school census", "38.3", "", "000", "england"),
    Figure(19, "SEN_SUPPORT_LARGEST_YEAR_GROUP_PCT", "Year 5", "January 2022 schools census", "10.9", "", "003", "local"),
    Figure(19, "SEN_SUPPORT_LARGEST_YEAR_GROUP_PCT", "Years 3 and 5", "2024 school census", "9.1", "", "000", "local"),
    Figure(20, "SEND_PRIMARY_NEED_PCT", "Social, emotional and mental health", "January 2022 schools census", "21.6", "", "003", "local"),
    Figure(21, "SEND_PRIMARY_NEED_PCT", "Social, emotional and mental health", "April 2021 self-evaluation (period not stated)", "21.4", "", "002", "local"),
    Figure(21, "SEND_PRIMARY_NEED_PCT", "Specific learning difficulty", "April 2021 self-evaluation (period not stated)", "14.2", "", "002", "local"),
    Figure(22, "EHCNA_REQUESTS", "", "2019", "293", "", "000", "local"),
    Figure(22, "EHCNA_REQUESTS", "", "2023", "517", "", "000", "local"),
    Figure(23, "EHCNA_REQUESTS", "", "2020", "225", "", "002", "local"),
    Figure(23, "EHCNA_NOT_PROCEEDING_PCT", "", "2020", "47", "", "002", "local"),
    Figure(23, "EHCNA_NOT_PROCEEDING_PCT", "", "2020", "30", "", "002", "statistical_neighbours"),
    Figure(24, "EHCNA_REQUESTS_MONTHLY_AVERAGE", "", "March 2023 to April 2024", "44", "", "000", "local"),
    Figure(25, "EHCNA_NOT_PROCEEDING_PCT", "", "2023", "23.2", "", "000", "local"),
    Figure(25, "EHCNA_NOT_PROCEEDING_PCT", "", "2023", "24", "", "000", "england"),
    Figure(26, "EHCNA_NO_PLAN_ISSUED_PCT", "", "April 2021 self-evaluation (period not stated)", "1.8", "", "002", "local"),
    Figure(27, "EHCP_ISSUED_20_WEEKS_PCT", "", "April 2021 self-evaluation (period not stated)", "94", "", "002", "local"),
    Figure(28, "EHCP_ISSUED_20_WEEKS_PCT", "", "As of June 2024", "5", "around", "000", "local"),
    Figure(29, "EHCNA_OVERDUE_20_WEEKS", "", "Over the past year (SEF dated 10 October 2024)", "200", "over", "000", "local"),
    Figure(30, "EHCP_NEW_ISSUED", "", "2019", "140", "", "002", "local"),
    Figure(30, "EHCP_NEW_ISSUED", "", "2020", "102", "", "002", "local"),
    Figure(31, "EHCP_ISSUED_UNDER_5_PCT", "", "April 2021 self-evaluation (period not stated)", "5", "", "002", "local"),
    Figure(31, "EHCP_ISSUED_UNDER_5_PCT", "", "April 2021 self-evaluation (period not stated)", "3.6", "", "002", "region"),
    Figure(33, "EHCP_MAINTAINED", "", "January 2019", "1361", "", "002", "local"),
    Figure(33, "EHCP_MAINTAINED", "", "January 2021", "1399", "", "002", "local"),
    Figure(34, "EHCP_MAINTAINED", "", "As of September 2022", "1545", "", "003", "local"),
    Figure(35, "EHCP_MAINTAINED", "", "January 2024 (SEN2 census, 18th January 2024)", "1737", "", "000", "local"),
    Figure(35, "EHCP_SCHOOL_POPULATION_PCT", "", "January 2024 (SEN2 census, 18th January 2024)", "4", "approximately", "000", "local"),
    Figure(36, "EHCP_BY_AGE", "Aged 20 to 25", "January 2019", "30", "", "002", "local"),
    Figure(36, "EHCP_BY_AGE", "Aged 20 to 25", "January 2021", "46", "", "002", "local"),
    Figure(36, "EHCP_BY_AGE", "Aged 0 to 5", "January 2019", "67", "", "002", "local"),
    Figure(36, "EHCP_BY_AGE", "Aged 0 to 5", "January 2021", "47", "", "002", "local"),
    Figure(37, "EHCP_PUPILS_PCT", "", "January 2022 schools census", "3.71", "", "003", "local"),
    Figure(37, "EHCP_PUPILS_PCT", "", "January 2022 schools census", "3.95", "", "003", "england"),
    Figure(38, "EHCP_LARGEST_YEAR_GROUP_PCT", "Year 6", "January 2022 schools census", "10.1", "", "003", "local"),
    Figure(38, "EHCP_LARGEST_YEAR_GROUP_PCT", "Year 8", "January 2024", "9.9", "", "000", "local"),
    Figure(39, "EHCP_PRIMARY_NEED_PCT", "Autism or speech, language and communication needs", "January 2024", "55", "", "000", "local"),
    Figure(39, "EHCP_PRIMARY_NEED", "Autism or speech, language and communication needs", "January 2024", "947", "", "000", "local"),
    Figure(40, "EHCP_PRIMARY_NEED_PCT", "Speech, language and communication needs", "April 2021 self-evaluation (period not stated)", "28.3", "", "002", "local"),
    Figure(40, "EHCP_PRIMARY_NEED_PCT", "Autistic spectrum disorder", "April 2021 self-evaluation (period not stated)", "19.5", "", "002", "local"),
    Figure(40, "EHCP_PRIMARY_NEED_PCT", "Social, emotional and mental health", "April 2021 self-evaluation (period not stated)", "18.7", "", "002", "local"),
    Figure(40, "EHCP_PRIMARY_NEED_PCT", "Moderate learning difficulty", "April 2021 self-evaluation (period not stated)", "18.4", "", "002", "local"),
    Figure(41, "EHCP_EDUCATED_IN_SOUTHEND_PCT", "", "January 2024", "84", "", "000", "local"),
    Figure(41, "EHCP_WHERE_EDUCATED_PCT", "Southend mainstream schools and Early Years settings", "January 2024", "42", "", "000", "local"),
    Figure(41, "EHCP_WHERE_EDUCATED_PCT", "Southend special schools", "January 2024", "37", "", "000", "local"),
    Figure(41, "EHCP_WHERE_EDUCATED_PCT", "Out of area schools", "January 2024", "11", "approximately", "000", "local"),
    Figure(42, "EHE_PUPILS_WITH_EHCP", "", "January 2022 (SEND Strategy data list)", "10", "approximately", "003", "local"),
    Figure(42, "EHCP_OUT_OF_AREA_PUPILS", "", "January 2022 schools census", "180", "approximately", "003", "local"),
    Figure(43, "SPECIAL_SCHOOL_PUPILS_SOUTHEND_EHCP_PCT", "", "January 2022 schools census", "86", "", "003", "local"),
    Figure(44, "EHCP_MALE_PCT", "", "January 2022 schools census", "75", "", "003", "local"),
    Figure(44, "EHCP_MALE_PCT", "", "January 2024", "73.04", "", "000", "local"),
    Figure(44, "EHCP_MALE_PCT", "", "January 2024", "71.96", "", "000", "england"),
    Figure(45, "EHCP_FSM_PCT", "", "January 2022 schools census", "43.3", "", "003", "local"),
    Figure(45, "EHCP_FSM_PCT", "", "January 2024", "43.7", "", "000", "local"),
    Figure(45, "EHCP_FSM_PCT", "", "January 2022 schools census", "39.7", "", "003", "england"),
    Figure(45, "EHCP_FSM_PCT", "", "January 2024", "42.2", "", "000", "england"),
    Figure(46, "LAC_SEN_PCT", "", "January 2024", "45", "", "000", "local"),
    Figure(46, "LAC_EHCP_PCT", "", "January 2024", "23.1", "", "000", "local"),
    Figure(47, "CIN_SEN_PCT", "", "January 2024", "42", "", "000", "local"),
    Figure(47, "CIN_SEN_EHCP_PCT", "", "January 2024", "20.5", "", "000", "local"),
    Figure(47, "CIN_SEN_PCT", "", "January 2024", "50", "around", "000", "england"),
    Figure(48, "ANNUAL_REVIEWS_12_MONTHS_PCT", "", "2019 (\"the previous year\")", "52.5", "", "002", "local"),
    Figure(48, "ANNUAL_REVIEWS_12_MONTHS_PCT", "", "2020 (reviews due in 2020)", "75.5", "", "002", "local"),
    Figure(51, "PERSISTENT_ABSENCE_SEND_PCT", "", "2022/23", "33.4", "", "000", "local"),
    Figure(51, "PERSISTENT_ABSENCE_SEND_PUPILS", "", "2022/23", "1308", "", "000", "local"),
    Figure(51, "PERSISTENT_ABSENCE_SEND_PCT", "", "2022/23", "32.3", "", "000", "england"),
    Figure(52, "PERMANENT_EXCLUSIONS_SEND", "", "2022/23", "11", "", "000", "local"),
    Figure(53, "SUSPENSIONS_SEND_RATE", "", "2022/23", "21.63", "", "000", "local"),
    Figure(53, "SUSPENSIONS_SEND_COUNT", "", "2022/23", "935", "", "000", "local"),
    Figure(53, "SUSPENSIONS_SEND_RATE_CHANGE", "", "2022/23", "5.42", "", "000", "local"),
    Figure(54, "EHE_PUPILS", "", "As of 1st September 2022", "403", "", "003", "local"),
    Figure(55, "EHE_PUPILS", "", "As of June 2024", "609", "", "000", "local"),
    Figure(55, "EHE_PUPILS_WITH_EHCP", "", "As of June 2024", "23", "", "000", "local"),
    Figure(55, "EHE_SEND_PHILOSOPHICAL_REASONS_PCT", "", "As of June 2024", "51", "", "000", "local"),
    Figure(55, "EHE_SEND_SCHOOL_DISSATISFACTION", "", "As of June 2024", "3", "", "000", "local"),
    Figure(55, "EHE_PUPILS_PREVIOUSLY_SEN_SUPPORT", "", "As of June 2024", "115", "", "000", "local"),
    Figure(56, "EHE_RETURNING_SEND_PCT", "", "SEF dated 10 October 2024", "80", "", "000", "local"),
    Figure(57, "RELATIONAL_PRACTICE_SCHOOLS", "", "October 2024 (annual update leaflet)", "46", "", "000", "local"),
    Figure(57, "RELATIONAL_PRACTICE_SCHOOLS", "", "SEF dated 10 October 2024", "46", "", "000", "local"),
    Figure(58, "AP_PILOTS", "", "July 2023 (Strategic Action Plan 'Where are we now')", "2", "", "001", "local"),
    Figure(58, "AP_PILOTS", "", "SEF dated 10 October 2024", "3", "", "000", "local"),
    Figure(59, "CWD_SCHOOL_ATTENDANCE_PCT", "", "Current data (SEF dated 10 October 2024)", "87.8", "", "000", "local"),
    Figure(59, "CWD_PERSISTENTLY_ABSENT", "", "Current data (SEF dated 10 October 2024)", "23", "", "000", "local"),
    Figure(63, "ATTAINMENT_8_ALL_PUPILS", "", "2018/19", "47.2", "", "003", "local"),
    Figure(63, "ATTAINMENT_8_ALL_PUPILS", "", "2018/19", "47.0", "", "003", "region"),
    Figure(63, "ATTAINMENT_8_ALL_PUPILS", "", "2018/19", "46.9", "", "003", "england"),
    Figure(65, "YOUNG_PEOPLE_EDUCATION_EMPLOYMENT_PCT", "", "April 2021 self-evaluation (period not stated)", "97.6", "", "002", "local"),
    Figure(65, "NEET_PCT", "", "April 2021 self-evaluation (period not stated)", "1.2", "", "002", "local"),
    Figure(65, "YOUNG_PEOPLE_EDUCATION_EMPLOYMENT_PCT", "", "April 2021 self-evaluation (period not stated)", "88.2", "", "002", "england"),
    Figure(67, "ASCOF_LD_PAID_EMPLOYMENT_PCT", "", "2022-23", "9.59", "", "000", "local"),
    Figure(67, "ASCOF_LD_PAID_EMPLOYMENT_PCT", "", "2022-23", "4.76", "", "000", "england"),
    Figure(68, "ASCOF_LD_LIVING_AT_HOME_PCT", "", "2022-23 (the SEF gives the year in the sentence before this figure)", "88.45", "", "000", "local"),
    Figure(68, "ASCOF_LD_LIVING_AT_HOME_PCT", "", "2022-23", "80.46", "", "000", "england"),
    Figure(69, "CWD_TRANSFERS_TO_ASC", "", "2024/25 (year to date at SEF dated 10 October 2024)", "18", "", "000", "local"),
    Figure(71, "CWD_ALLOCATED_CASELOAD", "", "As of June 2024", "108", "", "000", "local"),
    Figure(71, "CWD_ALLOCATED_CASELOAD", "Of statutory school age", "As of June 2024", "107", "", "000", "local"),
    Figure(71, "CWD_ALLOCATED_CASELOAD", "Looked after", "As of June 2024", "16", "", "000", "local"),
    Figure(71, "CWD_ALLOCATED_CASELOAD", "Subject to a Child Protection Plan", "As of June 2024", "3", "", "000", "local"),
    Figure(71, "CWD_SUPPORTED_WITHOUT_WORKER", "", "As of June 2024", "65", "", "000", "local"),
    Figure(72, "CWD_CARE_PACKAGES", "", "October to December 2020", "220", "approximately", "002", "local"),
    Figure(73, "CIN_DISABILITY", "", "As at 31st March 2020", "137", "", "002", "local"),
    Figure(74, "CIN_DISABILITY_PCT", "", "As of 31 March 2024", "13", "", "000", "local"),
    Figure(75, "SEN_SUPPORT_SOCIAL_CARE_PCT", "Child in need", "August 2024", "2.2", "", "000", "local"),
    Figure(75, "EHCP_SOCIAL_CARE_PCT", "Child in need", "August 2024", "5.3", "", "000", "local"),
    Figure(75, "SEN_SUPPORT_SOCIAL_CARE_PCT", "Child protection", "August 2024", "0.6", "", "000", "local"),
    Figure(75, "EHCP_SOCIAL_CARE_PCT", "Child protection", "August 2024", "0.3", "", "000", "local"),
    Figure(75, "SEN_SUPPORT_SOCIAL_CARE_PCT", "Child protection and looked after", "August 2024", "0.1", "", "000", "local"),
    Figure(75, "SEN_SUPPORT_SOCIAL_CARE_PCT", "Looked after", "August 2024", "1.1", "", "000", "local"),
    Figure(75, "EHCP_SOCIAL_CARE_PCT", "Looked after", "August 2024", "1.7", "", "000", "local"),
    Figure(75, "EHCP_SOCIAL_CARE_PCT", "Adult social care", "August 2024", "1.4", "", "000", "local"),
    Figure(75, "EHCP_SOCIAL_CARE_PCT", "Youth justice", "August 2024", "0.5", "", "000", "local"),
    Figure(76, "SUPPORTING_FAMILIES_SEND_PCT", "Have an EHC plan", "Not dated (SEF dated 10 October 2024)", "1", "", "000", "local"),
    Figure(76, "SUPPORTING_FAMILIES_SEND_PCT", "At SEN Support", "Not dated (SEF dated 10 October 2024)", "1", "", "000", "local"),
    Figure(77, "SHORT_BREAKS_RESPITE_CYP", "", "2023/24", "157", "", "000", "local"),
    Figure(77, "SHORT_BREAKS_MAIN_ACCESS_GRANT_ORGANISATIONS", "", "2023/24", "8", "", "000", "local"),
    Figure(77, "SHORT_BREAKS_COMMUNITY_ACCESS_CHILDREN", "", "2023/24", "96", "", "000", "local"),
    Figure(77, "SHORT_BREAKS_RESPITE_LOOKED_AFTER", "", "2023/24", "16", "", "000", "local"),
    Figure(78, "EARLY_HELP_CONTACTS", "", "As of 31st March 2021", "2210", "", "003", "local"),
    Figure(78, "EARLY_HELP_ASSESSMENTS", "", "As of 31st March 2021", "319", "", "003", "local"),
    Figure(78, "TROUBLED_FAMILIES_SUPPORTED", "", "The year to 31st March 2021", "548", "", "003", "local"),
    Figure(79, "LIGHTHOUSE_CONSULTANT_WAIT_WEEKS", "", "SEF dated 10 October 2024", "28", "", "000", "local"),
    Figure(79, "LIGHTHOUSE_CONSULTANT_WAIT_WEEKS", "", "Before the reduction (date not stated)", "120", "", "000", "local"),
    Figure(84, "ASQ_SE_2YR_REVIEW_PCT", "", "SEF dated 10 October 2024", "100", "", "000", "local"),
    Figure(85, "MHST_SCHOOLS", "", "November 2022 (SEND Strategy 2022-2025: 'currently')", "8", "", "003", "local"),
    Figure(85, "MHST_SCHOOLS", "", "July 2023 (Strategic Action Plan 'Where are we now')", "8", "", "001", "local"),
    Figure(85, "MHST_SCHOOLS", "", "SEF dated 10 October 2024", "10", "", "000", "local"),
    Figure(85, "MHST_SCHOOLS_PCT", "", "SEF dated 10 October 2024", "28", "", "000", "local"),
    Figure(86, "KIDS_AUTISM_HUB_REACH_PCT", "", "SEF dated 10 October 2024", "10", "around", "000", "local"),
    Figure(88, "LAC_INITIAL_HEALTH_ASSESSMENT_20_DAYS_PCT", "", "2021/22 (Safeguarding Partnership annual report: 'Currently')", "29", "", "003", "local"),
    Figure(89, "NEWSLETTER_SUBSCRIBERS", "", "SEF dated 10 October 2024", "2000", "over", "000", "local"),
    Figure(90, "ROADMAPS", "Scoped", "October 2024 (annual update leaflet)", "11", "", "000", "local"),
    Figure(90, "ROADMAPS", "Created", "October 2024 (annual update leaflet)", "5", "", "000", "local"),
    Figure(90, "ROADMAPS", "Being developed with the Parent Carer Forum", "February – June 2024 (SEF dated 10 October 2024)", "3", "", "000", "local"),
    Figure(91, "SEND_CHAMPION_NOMINATIONS", "", "SEF dated 10 October 2024", "30", "", "000", "local"),
    Figure(92, "LOCAL_OFFER_CODESIGN", "Feedback and co-design sessions held", "SEF dated 10 October 2024", "3", "", "000", "local"),
    Figure(92, "LOCAL_OFFER_CODESIGN", "Pages amended", "SEF dated 10 October 2024", "29", "", "000", "local"),
    Figure(92, "LOCAL_OFFER_CODESIGN", "New pages created", "SEF dated 10 October 2024", "5", "", "000", "local"),
    Figure(93, "SEND_SURGERY_HELPFUL_PCT", "", "\"this academic year\" (SEF dated 10 October 2024)", "100", "", "000", "local"),
    Figure(95, "LIVEWELL_VISITORS", "", "June 2023 to the end of March 2024", "47125", "", "000", "local"),
    Figure(95, "LIVEWELL_NEWSLETTER_SUBSCRIBERS", "", "As at year end March 2024", "4310", "", "000", "local"),
    Figure(96, "STRM_NETWORK_MEMBERS", "", "June 2023 (scrutiny project report: 'currently')", "1470", "over", "004", "local"),
    Figure(97, "EHE_YOUTH_HEALTH_CHAMPIONS", "", "Mental Health week 5-9 Feb 2024", "6", "", "000", "local"),
    Figure(97, "EHE_YOUTH_HEALTH_CHAMPIONS", "Recorded as SEND", "Mental Health week 5-9 Feb 2024", "4", "", "000", "local"),
    Figure(97, "YOUTH_HEALTH_CHAMPIONS_EVENT_ATTENDANCE", "", "Mental Health week 5-9 Feb 2024", "100", "over", "000", "local"),
    Figure(98, "SCHOOLS_INCLUSION_FUNDING", "", "SEF dated 10 October 2024", "5000000", "", "000", "local"),
    Figure(99, "CAPITAL_GRANTS_ALLOCATED", "", "2023/24", "500000", "over", "000", "local"),
    Figure(99, "CAPITAL_GRANTS_ALLOCATED", "", "2024/25", "630000", "almost", "000", "local"),
    Figure(99, "CAPITAL_GRANT_APPLICATIONS_INCREASE_PCT", "", "2024/25", "50", "", "000", "local"),
    Figure(99, "SMALL_CAPITAL_BID_GRANTS", "", "2023/24 and 2024/25", "1000000", "", "000", "local"),
    Figure(100, "BEXLEY_TOOLKIT_SCHOOLS", "", "SEF dated 10 October 2024", "5", "", "000", "local"),
    Figure("1o", "TRANSPORT_KPIS_FULLY_ACHIEVED", "", "September 2022", "24", "", "003", "local"),
    Figure("1o", "TRANSPORT_JOURNEY_TIME_PRIMARY_PCT", "", "July 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_JOURNEY_TIME_PRIMARY_PCT", "", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CREW_CHANGES_PCT", "", "March 2022", "12", "", "003", "local"),
    Figure("1o", "TRANSPORT_CREW_CHANGES_PCT", "", "April 2022", "6", "", "003", "local"),
    Figure("1o", "TRANSPORT_CREW_CHANGES_PCT", "", "May 2022", "2", "", "003", "local"),
    Figure("1o", "TRANSPORT_CREW_CHANGES_PCT", "", "June 2022", "2", "", "003", "local"),
    Figure("1o", "TRANSPORT_CREW_CHANGES_PCT", "", "July 2022", "3", "", "003", "local"),
    Figure("1o", "TRANSPORT_KPIS_NOT_FULLY_MET", "", "September 2022", "3", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 1: written reports of accidents", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 1: written reports of accidents", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 2: specialist equipment ordered", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 2: specialist equipment ordered", "September 2022", "98", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 4: journey times, secondary pupils and adults", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 4: journey times, secondary pupils and adults", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 5: pre-transport calls and meet and greets", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 5: pre-transport calls and meet and greets", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 6: safeguarding information provided", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 6: safeguarding information provided", "September 2022", "95", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 7: complaints acknowledged", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 7: complaints acknowledged", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 8: complaints answered", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 8: complaints answered", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 9: training and DBS records", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 10: data protection breaches notified at once", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 10: data protection breaches notified at once", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 11: staff trained in data protection", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 11: staff trained in data protection", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 12: incidents on board notified to the council", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 12: incidents on board notified to the council", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 13: children's social care transport applications processed", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 13: children's social care transport applications processed", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 14: business continuity measures", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 14: business continuity measures", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 15: notice of foreseen changes to the service", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 15: notice of foreseen changes to the service", "September 2022", "98", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 16: management information provided on time", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 16: management information provided on time", "September 2022", "98", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 17: invoice queries answered", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 17: invoice queries answered", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 18: incidents on board reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 18: incidents on board reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 19: new home-to-school applications processed", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 19: new home-to-school applications processed", "September 2022", "95", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 20: adult learning disability transport applications processed", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 20: adult learning disability transport applications processed", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 21: inability to operate a route reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 22: Dial-a-Ride applications processed", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 22: Dial-a-Ride applications processed", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 24: passengers per route reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 24: passengers per route reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 25: route changes reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 25: route changes reported", "September 2022", "100", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 26: driver changes to routes", "September 2022", "95.2", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_RESULTS_PCT", "KPI 27: passenger assistant changes to routes", "September 2022", "90", "", "003", "local"),
    Figure("1o", "TRANSPORT_CONTRACT_KPI_SERVICE_REQUIRED_PCT", "KPI 27: passenger assistant changes to routes", "September 2022", "98", "", "003", "local"),
    Figure("1o", "TRANSPORT_MEET_AND_GREETS", "Own routes: new students", "August 2022", "43", "", "003", "local"),
    Figure("1o", "TRANSPORT_MEET_AND_GREETS", "Own routes: took place", "August 2022", "23", "", "003", "local"),
    Figure("1o", "TRANSPORT_MEET_AND_GREETS", "Sub-contractors: required", "August 2022", "27", "", "003", "local"),
    Figure("1o", "TRANSPORT_MEET_AND_GREETS", "Sub-contractors: recorded as taken place", "August 2022", "17", "", "003", "local"),
    Figure("1o", "TRANSPORT_COMPLIMENTS", "Head teachers and schools", "August 2022", "4", "", "003", "local"),
    Figure("1o", "TRANSPORT_COMPLIMENTS", "Parents, social workers and foster carers", "August 2022", "8", "circa", "003", "local"),
    Figure("1o", "TRANSPORT_TRIPS_OVER_TIME", "", "April 2022", "19", "", "003", "local"),
    Figure("1o", "TRANSPORT_TRIPS_OVER_TIME", "", "May 2022", "13", "", "003", "local"),
    Figure("1n", "INCLUSION_CHARTER_SCHOOLS_PCT", "", "target", "100", "", "001", "target"),
    Figure("1n", "NEWSLETTER_SUBSCRIBERS", "", "target", "2000", "", "001", "target"),
    Figure("1o", "TRANSPORT_JOURNEY_TIME_PRIMARY_PCT", "", "target", "90", "", "003", "target"),
    Figure(88, "LAC_INITIAL_HEALTH_ASSESSMENT_20_DAYS_PCT", "", "target", "75", "", "003", "target"),
]
# fmt: on

# Rows of section 1 that give no number to hold, each with the reason.
NO_NUMBER = {
    32: "no figure given: more new assessments within timescale as 2024 progressed, in words only",
    49: "given in words only: 'Just over a third' of plans reviewed within 12 months (held as words)",
    50: "a target's definition, plans 'no older than three (3) years', held as the indicator's target text",
    60: "no figures given: attainment compared with national in words only",
    61: "no figures given: attainment 'apart from KS1, is below the national average'",
    62: "no figure given: EYFS outcomes 'significantly below' national expectations",
    64: "no figures in the text: participation at 16 and 17 shown as graphs only",
    66: "no figures given: NEET, Not Known and participation compared with national in words only",
    70: "process timings, not a measure: the ages at which transition steps happen",
    80: "a threshold in words, no share given: 'Most' seen within 18 weeks",
    81: "a threshold in words, no share given: assessed within 8 weeks",
    82: "a threshold in words, no share given: 'All children' seen within 6 weeks",
    83: "no figure given: waits 'reduced despite increasing demand'",
    87: "no figure given: an 'improving picture' of annual health review uptake",
    94: "no figure given: 'greater satisfaction from users'",
}

# Numbers in section 1 that are not held as values of their own, each with the reason.
NOT_HELD = [
    (9, "Total: 612", "the digest's sum of the places by school; no document gives it"),
    (11, "Total: 99", "the digest's sum of the places by school; no document gives it"),
    (
        14,
        "3.30% lower than the national average",
        "the gap between two held values, kept in the comparator's note",
    ),
    (22, "almost doubling", "the change between two held values, in words"),
    (30, "27% fewer", "the change between two held values, kept in the note"),
    (33, "3% more", "the change between two held values, kept in the note"),
    (36, "+53% and -30%", "the changes between the held values by age group, kept in the quote"),
    (52, "0.05% lower than the national average", "a gap to a national figure the document does not give"),
    (53, "1.69% lower than the national average", "a gap to a national figure the document does not give"),
    (85, "one further education setting", "given in words beside the 8 and 10 schools held"),
]


def problems_with(figures: list[Figure]) -> list[str]:
    """Each figure that is not held exactly: with that value, written as its document writes it (47.0, not 47),
    period, source, group and qualifier."""
    problems = []
    for figure in figures:
        document = DOCUMENTS[figure.document]
        if figure.series == "target":
            indicator = Indicator.objects.get(code=figure.indicator)
            held = (indicator.target_value, "", indicator.target_source_document)
            wanted = (Decimal(figure.value), "", document)
        else:
            if figure.series == "local":
                found = Return.objects.filter(
                    indicator__code=figure.indicator,
                    breakdown=figure.breakdown,
                    period_label=figure.period,
                    source_document=document,
                    submitted_by=None,
                    value=Decimal(figure.value),
                )
            else:
                found = Comparator.objects.filter(
                    indicator__code=figure.indicator,
                    geography=figure.series,
                    period_label=figure.period,
                    source_document=document,
                    value=Decimal(figure.value),
                )
            if found.count() != 1:
                problems.append(f"{figure}: {found.count()} held")
                continue
            item = found.get()
            held = (plain_decimal(item.value, item.decimal_places), item.qualifier, item.source_document)
            wanted = (figure.value, figure.qualifier, document)
            if not item.source_quote:
                problems.append(f"{figure}: no words quoted from the document")
        if held != wanted:
            problems.append(f"{figure}: held as {held}")
    return problems


@pytest.mark.django_db
def test_every_figure_the_digest_lists_is_held_with_its_period_source_and_qualifier(module_southend):
    assert problems_with(FIGURES) == []


@pytest.mark.django_db
def test_a_figure_held_without_its_qualifier_or_at_another_value_or_period_is_found_out(module_southend):
    assert problems_with(FIGURES) == []
    about = next(f for f in FIGURES if f.indicator == "POPULATION")
    Return.objects.filter(indicator__code="POPULATION").update(qualifier="")
    [problem] = problems_with([about])
    assert problem.startswith(f"{about}: held as (") and ", '', " in problem
    assert problems_with([about._replace(period="January 2024")]) == [
        f"{about._replace(period='January 2024')}: 0 held"
    ]
    by_school = next(f for f in FIGURES if f.breakdown == "Kingsdown School")
    Return.objects.filter(indicator__code=by_school.indicator, breakdown=by_school.breakdown).update(
        value=121
    )
    assert problems_with([by_school]) == [f"{by_school}: 0 held"]
    headline = by_school._replace(breakdown="")
    assert problems_with([headline]) == [f"{headline}: 0 held"]
    # A value is stored to four places: without the places it was written with, the region's 47.0 reads 47.
    region = next(f for f in FIGURES if f.value == "47.0")
    Comparator.objects.filter(indicator__code=region.indicator, geography=region.series).update(
        decimal_places=None
    )
    [problem] = problems_with([region])
    assert problem.startswith(f"{region}: held as ('47', ")
    target = next(f for f in FIGURES if f.series == "target")
    Indicator.objects.filter(code=target.indicator).update(target_value=None)
    [problem] = problems_with([target])
    assert problem.startswith(f"{target}: held as (None, ")


def test_every_row_of_the_digest_has_its_figures_or_the_reason_it_gives_none():
    with_figures = {f.row for f in FIGURES if isinstance(f.row, int)}
    assert with_figures.isdisjoint(NO_NUMBER)
    assert with_figures | set(NO_NUMBER) == set(range(1, 101))
    assert all(reason for reason in NO_NUMBER.values())
    assert {"1n", "1o"} <= {f.row for f in FIGURES}
    assert {row for row, *_ in NOT_HELD} <= with_figures


def test_each_figure_is_listed_once_and_each_qualifier_is_one_the_portal_knows():
    assert len(set(FIGURES)) == len(FIGURES)
    assert {f.qualifier for f in FIGURES} <= set(Qualifier.values)
    assert {"about", "almost", "approximately", "around", "circa", "over"} <= {f.qualifier for f in FIGURES}


@pytest.mark.skipif(not SEEDS.exists(), reason="the source documents are not beside the project")
def test_the_words_quoted_for_each_figure_are_the_documents_own():
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    lines = {name: (SEEDS / name).read_text(encoding="utf-8").splitlines() for name in DOCUMENTS.values()}
    quoted = [item for item in seed["returns"] + seed["comparators"] if item["source_quote"]]
    not_verbatim = [
        (item["indicator"], item["period_label"], item["source_quote"])
        for item in quoted
        if not any(item["source_quote"] in line for line in lines[item["source_document"]])
    ]
    assert not_verbatim == []
    # and each figure is written in the words quoted for it ("1,737", "£630k", "£5 million")
    unwritten = [
        (item["indicator"], item["value"], item["source_quote"])
        for item in seed["returns"]
        if item["value"] is not None
        and not any(form in item["source_quote"].replace(",", "") for form in written_forms(item["value"]))
    ]
    assert unwritten == []


def written_forms(value: float) -> set[str]:
    forms = {str(value)}
    if isinstance(value, int) and value >= 100_000:
        forms |= {f"{value // 1000}k", f"{value // 1_000_000} million"}
    return forms


def values(code: str, document: str | None = None) -> list[Decimal | None]:
    held = Return.objects.filter(indicator__code=code, breakdown="", submitted_by=None).exclude(value=None)
    if document:
        held = held.filter(source_document=DOCUMENTS[document])
    return list(held.order_by("reference_date").values_list("value", flat=True))


@pytest.mark.django_db
def test_the_series_across_the_documents_read_in_order(module_southend):
    assert values("EHCP_MAINTAINED") == [1361, 1399, 1545, 1737]
    assert values("EHCP_ISSUED_20_WEEKS_PCT") == [94, 5]
    assert values("ANNUAL_REVIEWS_12_MONTHS_PCT") == [Decimal("52.5"), Decimal("75.5")]
    assert values("SEN_SUPPORT_PUPILS") == [2663, 2966]
    assert values("SEN_SUPPORT_PCT") == [Decimal("9.25"), Decimal("11.58")]
    assert values("SEN_ALL_PCT") == [Decimal("11.5"), Decimal("12.4")]
    assert values("EHE_PUPILS") == [403, 609]
    assert values("MHST_SCHOOLS") == [8, 8, 10]
    assert values("MHST_SCHOOLS_PCT") == [28]
    assert values("OFSTED_GOOD_OUTSTANDING_SECONDARY_PCT") == [83, 92]
    assert values("OFSTED_GOOD_OUTSTANDING_SPECIAL_PCT") == [80, 100]


def test_each_breakdown_topic_reads_after_by_as_the_pages_print_it(module_southend):
    """The pages print "By <topic>" and "Figures by <topic>": a topic that is itself a preposition printed
    "By from"."""
    topics = set(Indicator.objects.exclude(breakdown_topic="").values_list("breakdown_topic", flat=True))
    assert topics and not {
        topic for topic in topics if topic.split()[0].lower() in {"by", "from", "to", "of", "for"}
    }
    assert Indicator.objects.get(code="TRANSPORT_COMPLIMENTS").breakdown_topic == "Source of the compliment"
