/* Generated from the documented examples (test/fixtures/vendor-docs/mapflow): do not retype, regenerate. */

/** `GET /user/status` example. */
export const DOC_USER_STATUS = {
  "email": "admin@geoalert.io",
  "processedArea": 45221388394,
  "remainingArea": 54778611606,
  "areaLimit": 100000000000,
  "memoryLimit": 1000000000,
  "models": [
    {
      "id": "30ddfd15-04aa-47f6-9ceb-68ce709fd710",
      "name": "🏠 Buildings",
      "description": "Buildings detection and mapping",
      "created": "2023-02-01T08:17:03.871690Z",
      "updated": "2023-05-11T14:24:31.456180Z",
      "pricePerSqKm": 13.0,
      "blocks": [
        {
          "name": "Classification",
          "displayName": "Classification",
          "optional": true,
          "price": 3.0
        },
        {
          "name": "Simplification",
          "displayName": "Polygonization",
          "optional": true,
          "price": 5.0
        },
        {
          "name": "OSM",
          "displayName": "Merge with OSM",
          "optional": true,
          "price": 0.0
        }
      ]
    },
    {
      "id": "5d47a57c-3274-4014-aa04-daac416782f7",
      "name": "🚗 Roads",
      "description": "",
      "created": "2023-02-01T08:17:03.371720Z",
      "updated": "2023-05-11T14:24:31.605710Z",
      "pricePerSqKm": 5.0
    }
  ],
  "teams": [
    {
      "teamId": "a6c5a4cf-c693-4441-8bef-028ac0f2d5d9",
      "name": "My New Team",
      "role": "OWNER",
      "activeUntil": null,
      "creditsLimit": null
    }
  ]
};

/** `GET /projects/{projectId}` example. */
export const DOC_PROJECT = {
  "id": "546d148f-19a1-40d8-8f16-d1e6dabfd204",
  "name": "test",
  "description": "test",
  "progress": {
    "status": "UNPROCESSED",
    "percentCompleted": 0,
    "details": []
  },
  "aoiCount": 0,
  "area": 0,
  "user": {
    "id": "61cd6899-19e8-44a0-97db-b86f1a9b7af4",
    "login": "user@user.com",
    "email": "user@user.com",
    "role": "USER",
    "created": "2019-12-16T16:10:29.492358Z"
  },
  "isDefault": false,
  "created": "2020-05-13T13:00:31.978Z",
  "updated": "2020-05-13T13:00:31.978Z",
  "workflowDefs": [
    {
      "id": "084474b5-e001-456f-a486-f62f5ee1ffe1",
      "name": "🏠 Buildings",
      "created": "2020-08-11T19:57:40.974170Z",
      "updated": "2020-08-11T19:57:40.974172Z"
    }
  ]
};

/** `GET /projects/default` example. */
export const DOC_DEFAULT_PROJECT = {
  "id": "ea2281ab-53f0-4839-9d38-8e3648ee377f",
  "name": "Default",
  "description": null,
  "progress": {
    "status": "OK",
    "percentCompleted": 100,
    "details": [
      {
        "status": "OK",
        "count": 1,
        "area": 836643,
        "statusUpdateDate": "2022-12-20T08:14:38.882673Z"
      }
    ],
    "completionDate": "2022-12-20T08:14:38.882673Z"
  },
  "aoiCount": 23,
  "area": 20885015,
  "user": {
    "id": "25b12411-bd16-4a31-9842-728264a3aefd",
    "login": "test_user@test.com",
    "email": "test_user@test.com",
    "role": "USER",
    "areaLimit": 50000000,
    "aoiAreaLimit": 50000000,
    "processedArea": 21863903,
    "created": "2022-10-20T14:54:59.630308Z",
    "updated": "2022-12-06T14:00:53.051512Z",
    "isPremium": false
  },
  "isDefault": true,
  "created": "2022-10-20T14:54:59.636598Z",
  "updated": "2022-10-20T14:54:59.636599Z",
  "workflowDefs": [
    {
      "id": "ad7a5460-c903-402b-9c21-b12aa2fc9f69",
      "name": "🏗️ Construction sites",
      "description": null,
      "created": "2022-10-20T14:54:59.690562Z",
      "updated": "2022-10-20T14:54:59.690562Z"
    },
    {
      "id": "decc5854-3a92-4b25-8e5b-895de9fa4ef3",
      "name": "🌲↕️ Forest with heights",
      "description": null,
      "created": "2022-10-20T14:54:59.787793Z",
      "updated": "2022-11-25T13:08:41.124862Z"
    }
  ]
};

/** `GET /processings/{processingId}` example (flat v1 params). */
export const DOC_PROCESSING = {
  "id": "65285409-ac88-4fc0-a937-193cf42c2343",
  "name": "Test processing",
  "description": null,
  "projectId": "a45aa059-fc95-4da0-80e9-2f258fa42c3f",
  "vectorLayer": {
    "id": "726bdc81-4c43-44ba-9d1b-ca5ed53f23fe",
    "name": "Test processing",
    "tileJsonUrl": "https://app.mapflow.ai/api/layers/4f84c84a-3678-4a11-bd20-dac6f230b08f.json",
    "tileUrl": "https://app.mapflow.ai/api/layers/4f84c84a-3678-4a11-bd20-dac6f230b08f/tiles/{z}/{x}/{y}.vector.pbf"
  },
  "rasterLayer": {
    "id": "9cb1df8d-d26c-4458-8e4b-ffd03871edbf",
    "tileJsonUrl": "https://app.mapflow.ai/api/v0/cogs/tiles.json?uri=s3://mapflow-rasters/db3f192f-010d-4fc5-9cbe-f44bc569ba59",
    "tileUrl": "https://app.mapflow.ai/api/v0/cogs/tiles/{z}/{x}/{y}.png?uri=s3://mapflow-rasters/db3f192f-010d-4fc5-9cbe-f44bc569ba59"
  },
  "workflowDef": {
    "id": "c6a71c32-972c-4d67-95a1-e9f3dfc033c9",
    "name": "Buildings (⭐️ Aerial imagery)",
    "description": "Custom model: segmentation of buildings in aerial imagery at resolution 10 cm/pixel",
    "created": "2023-02-07T12:07:35.259144Z",
    "updated": "2023-09-01T13:03:20.905987Z",
    "pricePerSqKm": 33.0,
    "blocks": []
  },
  "aoiCount": 1,
  "area": 12010038,
  "cost": 1638,
  "status": "OK",
  "reviewStatus": null,
  "rating": null,
  "percentCompleted": 100,
  "params": {
    "url": "https://app.mapflow.ai/api/v0/cogs/tiles/{z}/{x}/{y}.png?uri=s3://white-maps-rasters/0617c425-9bfa-45a3-b2ea-46020e48d775",
    "source_type": "xyz",
    "crs": "EPSG:3857"
  },
  "blocks": [],
  "meta": {
    "source": "tif",
    "source-app": "qgis",
    "version": "1.7.0"
  },
  "messages": [],
  "created": "2023-03-29T06:48:35.103854Z",
  "updated": "2023-07-09T13:32:25.540726Z"
};

/** The failed-processing example (only these fields are documented). */
export const DOC_FAILED_PROCESSING = {
  "id": "6ad89b64-38fd-408f-acbb-75035ec52787",
  "status": "FAILED",
  "percentCompleted": 0,
  "messages": [
    {
      "code": "source-validator.PixelSizeTooHigh",
      "parameters": {
        "max_res": "1.2",
        "level": "error",
        "actual_res": "5.620983603290215"
      }
    }
  ]
};

/** `GET /processings/{processingId}/aois` example item. */
export const DOC_AOI = {
  "id": "b86127bb-38bc-43e7-9fa9-54b37a0e17af",
  "status": "IN_PROGRESS",
  "percentCompleted": 0,
  "geometry": {
    "type": "Polygon",
    "coordinates": [
      [
        [
          37.29836940765381,
          55.63619642594767
        ],
        [
          37.29836940765381,
          55.64024152130109
        ],
        [
          37.307724952697754,
          55.64024152130109
        ],
        [
          37.307724952697754,
          55.63619642594767
        ],
        [
          37.29836940765381,
          55.63619642594767
        ]
      ]
    ]
  },
  "area": 265197,
  "messages": []
};

/** The "Run the processing" request body. */
export const DOC_RUN_REQUEST = {
  "name": "Test",
  "description": "A simple test",
  "projectId": "20f05e39-ccea-4e26-a7f3-55b620bf4e31",
  "wdName": "🏠 Buildings",
  "geometry": {
    "type": "Polygon",
    "coordinates": [
      [
        [
          37.29836940765381,
          55.63619642594767
        ],
        [
          37.307724952697754,
          55.63619642594767
        ],
        [
          37.307724952697754,
          55.64024152130109
        ],
        [
          37.29836940765381,
          55.64024152130109
        ],
        [
          37.29836940765381,
          55.63619642594767
        ]
      ]
    ]
  },
  "params": {
    "sourceParams": {
      "dataProvider": {
        "providerName": "Mapbox",
        "zoom": 18
      }
    }
  },
  "meta": {
    "test": "test"
  }
};

/** The model of the "Customize processing with the options" example. */
export const DOC_FOREST_MODEL = {
  "id": "c2e857fe-1bf6-4e7a-b9f4-d5339c46d357",
  "name": "Forest",
  "description": "Default model: segmentation of forested areas with assinment of height classes; thresholds are 4 and 10 meters",
  "created": "2023-07-26T08:14:18.739968Z",
  "updated": "2023-08-11T04:58:40.907896Z",
  "pricePerSqKm": 0.0,
  "blocks": [
    {
      "name": "Segmentation",
      "displayName": "Segmentation",
      "optional": false,
      "price": 8.0
    },
    {
      "name": "Heights",
      "displayName": "Height estimation",
      "optional": true,
      "price": 20.0
    }
  ]
};

/** Rows of the `POST /processings/stats` example. */
export const DOC_STATS_ROWS = [
  {
    "projectName": "Test",
    "name": "test_proc",
    "email": "user1@geoalert.io",
    "area": "536680",
    "cost": "0",
    "created": "2025-02-24T13:34:34.640553Z",
    "completionDate": "2025-02-24T13:35:31.327948Z",
    "status": "OK",
    "percentCompleted": "100",
    "archived": "false",
    "dataProvider": null,
    "linkToMap": "https://app.mapflow.ai/projects/c77bad4b-6a2b-49ed-8af4-4d1841aec771/processings/893bcc22-8a3b-47d5-8e56-0d0a83fab25d",
    "scenario": "🏠 Buildings"
  },
  {
    "projectName": "Test new model NSPD",
    "name": "test_proc2",
    "email": "user2@geoalert.io",
    "area": "450102",
    "cost": "0",
    "created": "2025-02-24T13:37:55.581373Z",
    "completionDate": "2025-02-24T13:38:22.078667Z",
    "status": "OK",
    "percentCompleted": "100",
    "archived": "false",
    "dataProvider": null,
    "linkToMap": "https://app.mapflow.ai/projects/c77bad4b-6a2b-49ed-8af4-4d1841aec771/processings/6ecbd6ae-32cd-499a-aa42-fd0e67d6f9b6",
    "scenario": "🏠 Buildings"
  }
];

/** The bulk-processing guide's project. */
export const DOC_BLOG_PROJECT = {
  "id": "fb49b97e-51ec-4b31-872f-d1411284de85",
  "name": "My new project",
  "description": ""
};

/** The bulk-processing guide's processings (`id, name`). */
export const DOC_BLOG_PROCESSINGS = [
  {
    "id": "5f748822-c94a-4233-ae1e-7622973bf9b5",
    "name": "Бой"
  },
  {
    "id": "87f258e6-c1ce-4deb-8155-ccd6b21ac237",
    "name": "Авазли"
  },
  {
    "id": "1e24c0e5-9b6f-4a26-9970-82dfb1f67807",
    "name": "Avazali"
  },
  {
    "id": "0316606a-4c04-4196-bdab-6495af4bb7b0",
    "name": "Авлиятепа"
  },
  {
    "id": "38435f06-6b85-420e-86f8-3ebef4755480",
    "name": "Акбуйра"
  },
  {
    "id": "33ffec93-ef2b-4ead-a51e-30cad1bcb71d",
    "name": "Аксулат"
  },
  {
    "id": "c8f73cf5-8a44-4c36-8b2e-49b27f7f5da5",
    "name": "Актепа"
  },
  {
    "id": "6eaca828-41ec-4ce5-aea4-b9f039211bbe",
    "name": "Арабхана"
  }
];
